/**
 * DARTS architecture search: {@link org.boml.nas.ArchitectureSearch the search and the retraining},
 * {@link org.boml.nas.SearchProblem one step's bilevel problem}, {@link org.boml.nas.ImageData the
 * Fashion-MNIST subsets}, {@link org.boml.nas.Pictures the pictures} and {@link
 * org.boml.nas.NasCommand boml nas}.
 */
package org.boml.nas;
