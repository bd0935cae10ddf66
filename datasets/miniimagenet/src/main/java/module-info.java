/**
 * MiniImageNet (Vinyals et al. 2016) as a few-shot meta-dataset, read from the layout of Ravi and
 * Larochelle (2017): {@code images/} and the class split in {@code train.csv}, {@code val.csv},
 * {@code test.csv}.
 */
module org.boml.datasets.miniimagenet {
  requires org.boml.api;
  requires org.boml.datasets.fewshot;

  provides org.boml.api.DatasetProvider with
      org.boml.datasets.miniimagenet.MiniImageNetProvider;
}
