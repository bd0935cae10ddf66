/** Omniglot (Lake, Salakhutdinov and Tenenbaum, Science 2015) as a few-shot meta-dataset. */
module org.boml.datasets.omniglot {
  requires org.boml.api;
  requires org.boml.datasets.fewshot;
  requires java.net.http;

  provides org.boml.api.DatasetProvider with
      org.boml.datasets.omniglot.OmniglotProvider;
}
