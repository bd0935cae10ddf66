package org.boml.runtime.train;

import ai.djl.Device;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.boml.api.Dataset;
import org.boml.api.Model;
import org.boml.api.Variables;
import org.boml.runtime.problem.ParameterLayout;

/**
 * What {@link MetaLearnerBuilder} resolved for a {@link MetaLearner}: the plugins, the method, the
 * settings and the devices.
 *
 * @param dataset where tasks come from
 * @param model the model
 * @param modelForOutputs the model for another number of classes, or null
 * @param initialMeta saved meta-parameters to start from, or null
 * @param layout which of the model's (and the method's) parameters are meta-parameters
 * @param method the dynamics and the hypergradient
 * @param config the numeric settings
 * @param optimizer the outer optimizer
 * @param warnings where warnings go
 * @param device the meta-parameters' device
 * @param devices the devices that compute tasks
 * @param upperPasses how the workers schedule the tasks' upper passes
 */
record LearnerParts(
    Dataset dataset,
    Model model,
    IntFunction<Model> modelForOutputs,
    Variables initialMeta,
    ParameterLayout layout,
    Method method,
    TrainingConfig config,
    OuterOptimizer optimizer,
    Consumer<String> warnings,
    Device device,
    List<Device> devices,
    UpperPasses upperPasses) {}
