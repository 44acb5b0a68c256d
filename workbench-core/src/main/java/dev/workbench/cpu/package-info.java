/**
 * The fast CPU training layers: faster twins of DL4J's layers (and of the workbench's transformer block, its
 * sequence layer norm, and of DL4J's Adam) for training on the CPU backend, put in by one substitution step, {@link dev.workbench.cpu.CpuTraining}.
 * Model factories never name them: they build networks from DL4J's own layers, which stay the definition and the
 * fallback (GPU, double precision, masks, truncated BPTT, stored RNN state, other layouts), and a saved model.zip
 * goes back to those classes.
 *
 * <h2>The contract every fast layer keeps</h2>
 * <ul>
 *   <li>It is a subclass of the layer it speeds up, made by copying every setting of a built DL4J layer
 *       ({@code LayerSettings.copy}); its own fields only say how it runs, never what it computes.</li>
 *   <li>Same parameters (names, shapes, order, initialisation), same function, same loss, same gradients for
 *       every parameter and for its input, so a network trains the same through it as through DL4J's layer, and
 *       the optimizer state carries over in both directions.</li>
 *   <li>Anything its own path does not cover goes to the superclass's implementation unchanged, decided per call
 *       (data type, backend, masks, layout, settings).</li>
 *   <li>A first layer may skip its input gradient (nothing reads it): it returns null in its place, as DL4J
 *       accepts for a network's first layer, and the flat-image reshape in front of it passes the null on
 *       ({@link dev.workbench.cpu.conv.FlatImageInput}). Where the gradient is read on some passes only (a GAN's
 *       discriminator), {@link dev.workbench.train.FirstLayerInputGradient} switches it off for the others.</li>
 *   <li>The Java Adam ({@link dev.workbench.cpu.optim.CpuAdam}) keeps DL4J's Adam arithmetic and state layout.</li>
 *   <li>Its bits do not depend on the JIT tier, or a run and its resume in one JVM differ: a vector kernel takes
 *       e^x from {@link dev.workbench.lanes.LaneExp}, never from the vector API's {@code EXP}, whose compiled
 *       form differs in the last bit from the interpreter's.</li>
 * </ul>
 *
 * <h2>The tests that prove it</h2>
 * Each twin is trained side by side with its DL4J layer on real data, comparing outputs, loss, every gradient, the
 * input gradient and several optimizer steps: {@code CachedDenseTest}, {@code CachedConvolutionTest},
 * {@code CachedDeconvolutionTest},
 * {@code HostMaxPoolingTest}, {@code HostActivationTest}, {@code HostSoftmaxOutputTest}, {@code HostBatchNormTest}, {@code CachedLstmTest}, {@code HostEmbeddingSequenceTest},
 * {@code HostSequenceSoftmaxTest}, {@code EncoderBlockPassTest}
 * (against the SameDiff definition in double precision), {@code CpuAdamTest}, {@code OnePassAdamDescentTest} (the one-pass
 * Adam step against DL4J's three passes, bit for bit); the kernels have their own
 * ({@code BlockGemmTest}, {@code LayerNormRowsTest}, {@code RectifierTest}, {@code SigmoidGeluTest}, {@code KeptSigmoidGeluTest},
 * {@code AttentionSoftmaxTest}, {@code LaneExpTest},
 * {@code ActivationBackpropTest}, {@code KeptForwardPassTest}).
 * {@code FirstLayerInputGradientTest} proves a switched-off first layer's parameter gradients are the same bits.
 * {@code CpuTrainingTest} proves the substitution puts each twin where it belongs and takes it back out with
 * parameters and optimizer state intact; {@code PlainDl4jLoadTest} loads a trained model.zip in a JVM with DL4J and
 * no workbench class.
 *
 * <p>One piece cannot live here: DL4J M2.1 looks up its oneDNN switch under the class name
 * {@code org.nd4j.nativeblas.Nd4jCpu}, so that shim keeps DL4J's package.
 */
package dev.workbench.cpu;
