/** Few-shot sinusoid regression (Finn et al., ICML 2017, section 5.1). */
module org.boml.datasets.sinusoid {
  requires org.boml.api;

  provides org.boml.api.DatasetProvider with
      org.boml.datasets.sinusoid.SinusoidProvider;
}
