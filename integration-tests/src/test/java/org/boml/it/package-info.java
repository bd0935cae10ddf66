/**
 * Integration tests: the {@code boml} command line run as a user runs it (from {@code target/app},
 * plugins found on the module path and in plugin directories), determinism and resume, old and
 * misbehaving plugin jars, the third-party plugin kit, and the plugin matrix that checks every
 * hypergradient with every dynamics against finite differences.
 */
package org.boml.it;
