/**
 * The learning curves of a run directory: {@link RunReport} reads {@code metrics.jsonl}, {@code
 * result.json} and {@code config.json} and writes the loss and accuracy charts as PNG images and an
 * HTML page that shows them, for {@code boml train} and {@code boml plot}. Charts are drawn with
 * headless Java2D ({@link LineChart}, with axis ticks at round values from {@link Ticks}), so no
 * charting library is needed. The package is not exported: only the command line uses it.
 */
package org.boml.runtime.plot;
