/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): a reader for its gzip-compressed IDX files, with
 * no dependency beyond the JDK.
 */
module org.boml.datasets.fashionmnist {
  exports org.boml.datasets.fashionmnist;
}
