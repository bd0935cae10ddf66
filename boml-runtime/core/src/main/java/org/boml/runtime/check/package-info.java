/**
 * Gradient checks and small fixtures for testing hypergradient and dynamics plugins, exported so
 * that plugin modules' tests can use them; {@code boml check-plugin} runs the same checks. {@link
 * HypergradientCheck} compares a hypergradient with central finite differences of the unrolled
 * objective, {@link QuadraticProblem} has a closed-form hypergradient, {@link CheckProblems} and
 * {@link CheckTasks} are tiny problems and meta-datasets (sinusoid regression, random images) fixed
 * by their seeds, {@link RecordedDerivatives} replays the derivatives of a trajectory (first-order
 * surrogates), and {@link CombinationCheck} builds a learner the way the command line does to test
 * which plugin combinations the runtime accepts. Training never uses this package.
 */
package org.boml.runtime.check;
