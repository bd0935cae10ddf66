/**
 * Support shared by the image meta-datasets: PIL-compatible antialiased resizing, class pools of
 * decoded images, and reproducible N-way K-shot episodes.
 */
module org.boml.datasets.fewshot {
  requires transitive org.boml.api;
  requires java.desktop;

  exports org.boml.datasets.fewshot;
}
