/**
 * Tests of boml-api's building blocks for hypergradient plugins ({@code org.boml.api.blocks}) that
 * need the runtime's autodiff, which boml-api's own tests cannot reach (the engine depends on the
 * API): the trajectory, the upper gradient at its end and the reverse pass, in float64 against
 * closed forms and central finite differences.
 */
package org.boml.testkit.blocks;
