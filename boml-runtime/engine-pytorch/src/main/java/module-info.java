/**
 * The BOML runtime's compute engine on DJL's PyTorch engine, and the only module that requires
 * {@code ai.djl.pytorch_engine}: differentiation through a TorchScript {@code torch.autograd.grad}
 * helper ({@code org.boml.runtime.autodiff}), and engine start-up, devices, threads, native
 * allocator and resident memory ({@code org.boml.engine.pytorch}). The runtime finds it through
 * {@link java.util.ServiceLoader} as a {@link org.boml.runtime.engine.ComputeEngine}.
 */
module org.boml.engine.pytorch {
  requires transitive org.boml.runtime.engine;
  requires ai.djl.pytorch_engine;
  requires com.sun.jna;
  requires org.slf4j;
  requires org.apache.logging.log4j;

  exports org.boml.engine.pytorch;
  exports org.boml.runtime.autodiff;

  opens org.boml.engine.pytorch to
      com.sun.jna; // NativeHeap.MallInfo2, filled by JNA

  provides org.boml.runtime.engine.ComputeEngine with
      org.boml.engine.pytorch.PyTorchComputeEngine;
}
