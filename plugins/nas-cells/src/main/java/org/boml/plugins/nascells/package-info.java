/**
 * DARTS cells: {@link org.boml.plugins.nascells.Operation the candidate operations}, {@link
 * org.boml.plugins.nascells.CellNetwork the network} (continuous relaxation or discrete), {@link
 * org.boml.plugins.nascells.Genotype genotypes} and their derivation, and the provider {@code
 * nas-cells}.
 */
package org.boml.plugins.nascells;
