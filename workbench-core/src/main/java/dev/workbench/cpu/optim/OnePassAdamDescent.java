package dev.workbench.cpu.optim;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.Solver;
import org.deeplearning4j.optimize.api.ConvexOptimizer;
import org.deeplearning4j.optimize.api.StepFunction;
import org.deeplearning4j.optimize.solvers.StochasticGradientDescent;
import org.deeplearning4j.optimize.stepfunctions.NegativeDefaultStepFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * DL4J's stochastic gradient descent for a {@link MultiLayerNetwork} whose parameters all train with
 * {@link CpuAdam}, taking each step in one pass over the parameters: DL4J makes three (its updater divides the
 * whole gradient by the minibatch size, Adam turns it into the update, its step function subtracts that from the
 * parameters), which {@link CpuAdamUpdater#applyAndStep} does per updater block in one vector pass with the same
 * arithmetic. Where that does not apply (another updater in some block, gradient normalisation or clipping, L1, L2
 * or weight decay, a parameter DL4J does not divide by the minibatch, pretraining, an external gradient), the step
 * is DL4J's own, decided per step. After a one-pass step the gradient view still holds the gradient (summed over the
 * minibatch), where DL4J's leaves the update.
 */
public final class OnePassAdamDescent extends StochasticGradientDescent {
    private final MultiLayerNetwork net;
    /** The blocks of {@link #plannedFor}, or null where the one pass does not apply to it. */
    private List<BlockStep> plan;
    private Updater plannedFor;
    private boolean parametersStepped;
    private long onePassSteps;

    private OnePassAdamDescent(MultiLayerNetwork net, ConvexOptimizer dl4j) {
        super(net.conf(), null, net.getListeners() == null ? new ArrayList<>() : new ArrayList<>(net.getListeners()), net);
        this.net = net;
        this.stepFunction = new StepUnlessTaken(this.stepFunction);
        setUpdater(dl4j.getUpdater());
    }

    /**
     * Makes {@code net}'s fit take its steps through this optimizer, keeping the updater (and so its state) that
     * DL4J's optimizer holds; a network configured with another step function keeps DL4J's optimizer.
     */
    public static void install(MultiLayerNetwork net) {
        if (net.conf().getStepFunction() != null
                && !(net.conf().getStepFunction() instanceof org.deeplearning4j.nn.conf.stepfunctions.NegativeDefaultStepFunction)) {
            return;
        }
        net.getUpdater(true);
        ConvexOptimizer dl4j = net.getOptimizer();
        if (dl4j.getClass() != StochasticGradientDescent.class) { // already installed, or another optimizer
            return;
        }
        try {
            // DL4J's Solver builds its optimizer itself and has no setter for it.
            Field optimizer = Solver.class.getDeclaredField("optimizer");
            optimizer.setAccessible(true);
            Field solver = MultiLayerNetwork.class.getDeclaredField("solver");
            solver.setAccessible(true);
            optimizer.set(solver.get(net), new OnePassAdamDescent(net, dl4j));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot give the network its one-pass optimizer", e);
        }
    }

    /** How many of this optimizer's steps took the one pass (the rest took DL4J's three). */
    public long onePassSteps() {
        return onePassSteps;
    }

    @Override
    public void updateGradientAccordingToParams(Gradient gradient, Model model, int batchSize,
                                                LayerWorkspaceMgr workspaceMgr) {
        List<BlockStep> blocks = plan();
        parametersStepped = blocks != null && model == net && isNetworkGradient(gradient.gradient());
        if (!parametersStepped) {
            super.updateGradientAccordingToParams(gradient, model, batchSize, workspaceMgr);
            return;
        }
        float divisor = net.conf().isMiniBatch() ? batchSize : 1;
        int iteration = getIterationCount(net);
        int epoch = getEpochCount(net);
        for (BlockStep block : blocks) {
            block.updater().applyAndStep(block.gradient(), block.parameters(), divisor, iteration, epoch);
        }
        onePassSteps++;
    }

    /**
     * Whether {@code gradient} is the network's own flat gradient (DL4J M2.1 hands out a fresh reshaped view of it
     * on every call), not one computed elsewhere.
     */
    private boolean isNetworkGradient(INDArray gradient) {
        INDArray flat = net.getFlattenedGradients();
        return gradient.data().address() == flat.data().address() && gradient.offset() == flat.offset()
                && gradient.length() == flat.length();
    }

    /** The blocks' one-pass steps for the current updater, planned again when the updater is replaced. */
    private List<BlockStep> plan() {
        Updater updater = getUpdater(true);
        if (updater != plannedFor) {
            plan = updater instanceof MultiLayerUpdater multi ? blockSteps(multi) : null;
            plannedFor = updater;
        }
        return plan;
    }

    private List<BlockStep> blockSteps(MultiLayerUpdater updater) {
        INDArray parameters = net.params();
        if (parameters.length() == 0) {
            return null;
        }
        parameters = parameters.reshape(parameters.length());
        List<BlockStep> steps = new ArrayList<>();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            if (!(block.getGradientUpdater() instanceof CpuAdamUpdater adam) || block.skipDueToPretrainConfig(false)) {
                return null;
            }
            for (UpdaterBlock.ParamState param : block.getLayersAndVariablesInBlock()) {
                if (!takesPlainGradient(param.getLayer(), param.getParamName())) {
                    return null;
                }
            }
            INDArray blockParameters = parameters.get(NDArrayIndex.interval(block.getParamOffsetStart(),
                    block.getParamOffsetEnd()));
            if (!adam.stepsOnHost(block.getGradientView(), blockParameters)) {
                return null;
            }
            steps.add(new BlockStep(adam, block.getGradientView(), blockParameters));
        }
        return steps;
    }

    /** No clipping or normalisation, no regularisation, and divided by the minibatch when the network divides. */
    private boolean takesPlainGradient(Trainable layer, String param) {
        GradientNormalization normalization = layer.getConfig().getGradientNormalization();
        List<Regularization> regularization = layer.getConfig().getRegularizationByParam(param);
        return (normalization == null || normalization == GradientNormalization.None)
                && (regularization == null || regularization.isEmpty())
                && (!net.conf().isMiniBatch() || layer.updaterDivideByMinibatch(param));
    }

    /** One updater block: its Adam, and its slices of the flat gradient and parameters. */
    private record BlockStep(CpuAdamUpdater updater, INDArray gradient, INDArray parameters) {
    }

    /** DL4J's step function, skipped after a step whose pass already moved the parameters. */
    private final class StepUnlessTaken implements StepFunction {
        private final StepFunction dl4j;

        StepUnlessTaken(StepFunction dl4j) {
            this.dl4j = dl4j == null ? new NegativeDefaultStepFunction() : dl4j;
        }

        @Override
        public void step(INDArray parameters, INDArray update, double step) {
            if (!parametersStepped) {
                dl4j.step(parameters, update, step);
            }
        }

        @Override
        public void step(INDArray parameters, INDArray update) {
            if (!parametersStepped) {
                dl4j.step(parameters, update);
            }
        }

        @Override
        public void step() {
            dl4j.step();
        }
    }
}
