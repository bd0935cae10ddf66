/**
 * A user's own few-shot evaluation episodes, read from a directory of task folders, each with
 * {@code support/<class>/} and {@code query/<class>/} image folders.
 */
module org.boml.datasets.taskdir {
  requires org.boml.api;
  requires org.boml.datasets.fewshot;
  requires java.desktop;

  provides org.boml.api.DatasetProvider with
      org.boml.datasets.taskdir.TaskDirProvider;
}
