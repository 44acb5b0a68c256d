package dev.workbench.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Seeded train/validation/test split that keeps each class's share in every split (regression data
 * passes one class for all rows, which makes it a plain seeded split).
 */
public record StratifiedSplit(int[] train, int[] validation, int[] test) {

    public static StratifiedSplit of(int[] classOfRow, double validationFraction, double testFraction, long seed) {
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int row = 0; row < classOfRow.length; row++) {
            byClass.computeIfAbsent(classOfRow[row], c -> new ArrayList<>()).add(row);
        }
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> rows : byClass.values()) {
            Collections.shuffle(rows, random);
            int nTest = (int) Math.round(rows.size() * testFraction);
            int nValidation = (int) Math.round(rows.size() * validationFraction);
            test.addAll(rows.subList(0, nTest));
            validation.addAll(rows.subList(nTest, nTest + nValidation));
            train.addAll(rows.subList(nTest + nValidation, rows.size()));
        }
        return new StratifiedSplit(sorted(train), sorted(validation), sorted(test));
    }

    /** Class index of each row of one-hot labels. */
    public static int[] classesOf(DataSet data) {
        return data.getLabels().argMax(1).toIntVector();
    }

    public static DataSet rows(DataSet data, int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a split is empty: use larger fractions or more data");
        }
        return Rows.of(data, rows);
    }

    private static int[] sorted(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Rows 0..n-1, all in class 0: the split for regression targets. */
    public static int[] oneClass(int n) {
        return IntStream.range(0, n).map(i -> 0).toArray();
    }
}
