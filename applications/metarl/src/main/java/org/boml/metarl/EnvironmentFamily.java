package org.boml.metarl;

/**
 * A distribution over tasks that are environments, the service interface through which {@code boml
 * rl --env NAME} finds them ({@link java.util.ServiceLoader}: a module {@code provides
 * org.boml.metarl.EnvironmentFamily with ...}). Every environment of a family has the same
 * observation and action sizes and horizon, so that one policy serves them all.
 */
public interface EnvironmentFamily {
  /**
   * The name by which the command line selects the family.
   *
   * @return a short lower-case name, e.g. {@code navigation2d}
   */
  String name();

  /**
   * One line saying what the tasks are.
   *
   * @return the description
   */
  String description();

  /**
   * The task of a seed: the same seed always gives the same environment.
   *
   * @param seed the task's seed
   * @return the environment
   */
  Environment task(long seed);
}
