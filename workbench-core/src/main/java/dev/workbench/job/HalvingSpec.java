package dev.workbench.job;

/**
 * Successive halving (the synchronous form of Hyperband's inner loop and ASHA): every candidate trains
 * {@code minEpochs}, the best {@code 1/reduction} go on to {@code reduction} times as many epochs, and so on up to the
 * job's {@code training.epochs}.
 *
 * @param minEpochs epochs of the first rung
 * @param reduction the factor η: how many times fewer candidates, and how many times more epochs, per rung
 */
public record HalvingSpec(Integer minEpochs, Integer reduction) {
    public HalvingSpec {
        minEpochs = minEpochs == null ? 1 : minEpochs;
        reduction = reduction == null ? 3 : reduction;
    }
}
