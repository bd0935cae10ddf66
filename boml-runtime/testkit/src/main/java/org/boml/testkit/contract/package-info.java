/**
 * Contract tests for plugin authors: abstract JUnit 5 classes that a plugin's test extends,
 * implementing a method or two that name the plugin and its documented requirements, instead of
 * copying the checks every plugin of its kind must pass. {@link
 * org.boml.testkit.contract.HypergradientModuleContract} compares an exact hypergradient with
 * float64 finite differences, {@link org.boml.testkit.contract.ImplicitHypergradientContract} an
 * implicit one with the closed form at the lower-level optimum, {@link
 * org.boml.testkit.contract.DynamicsContract} checks that dynamics can be differentiated through,
 * and {@link org.boml.testkit.contract.CombinationContract} that the runtime accepts exactly the
 * combinations a hypergradient plugin documents.
 */
package org.boml.testkit.contract;
