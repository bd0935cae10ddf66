/**
 * The test kit's checks and fixtures for the tests of hypergradient and dynamics plugins, which
 * depend on {@code boml-api} and this kit only. {@link org.boml.testkit.TestKit} hands out the
 * runtime's autodiff and the plugins on the module path; {@link
 * org.boml.testkit.HypergradientCheck} compares a hypergradient with float64 central finite
 * differences of the unrolled objective (or with a replay over stored states), and {@link
 * org.boml.testkit.GradientAssertions} two hypergradients with each other; {@link
 * org.boml.testkit.QuadraticProblem} and {@link org.boml.testkit.PenalizedQuadraticProblem} have a
 * closed-form hypergradient; {@link org.boml.testkit.StateBlindProblem} fails if f sees a dynamics'
 * state, and {@link org.boml.testkit.DynamicsChecks} compares two dynamics' trajectories; {@link
 * org.boml.testkit.CheckProblems} and {@link org.boml.testkit.CheckTasks} are tiny problems and
 * meta-datasets (sinusoid regression, random images) fixed by their seeds; {@link
 * org.boml.testkit.RecordedDerivatives} replays the derivatives of a trajectory (first-order
 * surrogates); and {@link org.boml.testkit.CombinationCheck} builds a learner the way the command
 * line does, to test which plugin combinations the runtime accepts. {@code boml check-plugin} runs
 * the same checks. Training never uses this package.
 */
package org.boml.testkit;
