/**
 * Float arithmetic in vector lanes whose bits do not depend on the JIT tier, shared by the fast CPU layers
 * ({@code dev.workbench.cpu}) and the families' own kernels (GAT's attention and ELU), which may not import those
 * layers. The vector API's own transcendental functions give other last bits compiled than interpreted, so a run and
 * its resume in one JVM would differ.
 */
package dev.workbench.lanes;
