/**
 * MAML for reinforcement learning (Finn et al., ICML 2017, section 5.3), written on the runtime's
 * generic bilevel API. Tasks are environments: {@link Environment} and {@link EnvironmentFamily}
 * are the service interface, {@link Navigation2d} its 2D navigation. A {@link GaussianMlpPolicy}
 * samples {@link Rollouts}; {@link PolicyGradientProblem} turns one task into a {@link
 * org.boml.api.BilevelProblem} whose objectives are REINFORCE surrogates with a {@link
 * LinearFeatureBaseline}; {@link MetaRl} meta-trains with any hypergradient plugin, pretrains
 * jointly for comparison and evaluates adaptation ({@link RlResult}); {@link RlCommand} is {@code
 * boml rl}.
 */
package org.boml.metarl;
