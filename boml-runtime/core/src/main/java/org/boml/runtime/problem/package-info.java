/**
 * Bilevel problems built from the API's parts. {@link SupervisedProblem} is the problem of one
 * supervised task, with the loss and metric of its task kind ({@link Losses}) and the model's
 * parameters split between {@code x} and {@code y} by the meta-learning {@link Family} and a
 * method's model extension ({@link ParameterLayout}); {@link Bilevel} lets a user write a problem
 * as Java functions instead; {@link HeadWidening} adapts meta-parameters trained for N-way tasks to
 * M-way ones. The problems only define objectives and initial points: running the lower level and
 * the outer loop is the job of {@code org.boml.runtime.train}.
 */
package org.boml.runtime.problem;
