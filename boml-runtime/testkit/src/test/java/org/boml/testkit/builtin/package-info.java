/**
 * Tests of the runtime's built-in dynamics ({@code gd}, {@code momentum}, {@code adam}, learned
 * step sizes), its ResNet model and its hyperparameter optimizer, written against the test kit's
 * finite-difference checks and problems the way a plugin's tests are.
 */
package org.boml.testkit.builtin;
