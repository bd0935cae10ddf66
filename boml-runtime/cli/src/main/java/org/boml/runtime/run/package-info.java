/**
 * What a run is on disk, and how a run is put together from its configuration. {@link RunSpec} is
 * the resolved configuration ({@code config.json}); {@link RunDirectory}, {@link Checkpoint} and
 * {@link MetricsLog} write and read the other files of a run directory (the meta-parameters in
 * safetensors, the final result, the state for exact resume, one line of metrics per iteration),
 * every JSON document formatted by {@link JsonOutput}; {@link Assembly} finds a spec's plugins in a
 * registry, opens the dataset and the model and configures a {@link
 * org.boml.runtime.train.MetaLearnerBuilder} on the devices {@link Devices} parses from {@code
 * --devices}. {@code boml train}, {@code boml evaluate} and the Spark trainer all start from here.
 */
package org.boml.runtime.run;
