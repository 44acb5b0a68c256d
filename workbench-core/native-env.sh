# Sourced (bash) by everything that starts a workbench JVM from a script: ./workbench, benchmarks/run and
# benchmarks/pytorch/lockstep.py. Sets the native libraries' environment, which they read once, when they load.
#
# OpenBLAS core type. ND4J's OpenBLAS 0.3.19 picks its kernels by CPU model and does not know AVX-512 AMD CPUs
# (Zen 4 and 5): it takes them for a Barcelona (SSE kernels), and machines therefore set OPENBLAS_CORETYPE=Haswell
# (AVX2). Its SkylakeX kernels run on any CPU with AVX-512 F, CD, BW, DQ and VL, and include small-matrix kernels
# that multiply without packing; attention's per-head products (BlockGemm, [time, head width] blocks) are such
# products (benchmarks/PERFORMANCE.md, 2026-12-07 W4). Set when the CPU has those extensions and the variable is
# unset or names an AVX2 core; another value is kept, and WORKBENCH_OPENBLAS_CORETYPE overrides all of this.
workbench_openblas_coretype() {
  if [ -n "${WORKBENCH_OPENBLAS_CORETYPE:-}" ]; then
    echo "$WORKBENCH_OPENBLAS_CORETYPE"
    return
  fi
  case "${OPENBLAS_CORETYPE:-}" in
    "" | [Hh]aswell | [Zz]en) ;;
    *) echo "$OPENBLAS_CORETYPE"; return ;;
  esac
  local flags extension
  flags="$(grep -m1 '^flags' "${WORKBENCH_CPUINFO:-/proc/cpuinfo}" 2>/dev/null || true)" # the test names another file
  for extension in avx512f avx512cd avx512bw avx512dq avx512vl; do
    if [[ " $flags " != *" $extension "* ]]; then
      echo "${OPENBLAS_CORETYPE:-}"
      return
    fi
  done
  echo SkylakeX
}
OPENBLAS_CORETYPE="$(workbench_openblas_coretype)"
if [ -n "$OPENBLAS_CORETYPE" ]; then
  export OPENBLAS_CORETYPE
else
  unset OPENBLAS_CORETYPE
fi
unset -f workbench_openblas_coretype

# glibc's malloc, which ND4J's and oneDNN's native buffers come from. The JVM runs Java's main thread outside the
# process's first thread, so by default its allocations go to a secondary malloc arena, which unmaps a heap as soon
# as it is empty. Native buffers outside workspaces are freed only when the garbage collector collects the arrays,
# and until then each step takes fresh memory from the kernel (page faults, zeroing): the DCGAN step's slow
# stretches (benchmarks/PERFORMANCE.md, 2026-12-07). One arena with fixed thresholds (no
# trimming below 1 GiB of free top, buffers up to 32 MiB from the heap) keeps what a GC frees for the next steps.
# Kept as it is when GLIBC_TUNABLES is already set.
if [ -z "${GLIBC_TUNABLES:-}" ]; then
  export GLIBC_TUNABLES="glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824"
fi
