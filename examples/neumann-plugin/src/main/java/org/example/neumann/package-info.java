/**
 * An example third-party plugin, built on its own against {@code boml-api} only: the {@code
 * neumann} hypergradient module, the implicit hypergradient with a truncated Neumann series for the
 * inverse Hessian (Lorraine, Vicol and Duvenaud, AISTATS 2020; {@link NeumannHypergradient}).
 * {@link NeumannProvider} declares its options and requirements and leaves its version and API
 * version to the module descriptor. It uses no runtime class in its main code; only its tests do.
 */
package org.example.neumann;
