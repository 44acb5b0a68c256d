package dev.workbench.data.sequence;

import dev.workbench.data.DataFileException;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.DatasetSource;
import dev.workbench.data.InputShape;
import dev.workbench.data.Sha256Sums;
import dev.workbench.data.Task;
import dev.workbench.job.DatasetSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A text corpus for character-level language modelling. The first 90% of the characters train and the last
 * 10% validate (the split char-rnn and nanoGPT use; the test metrics are computed on that same held-out tail, as
 * there is no third part). Each split is cut into non-overlapping windows of {@code sequence_length} characters;
 * the target at every step is the next character. The vocabulary is every character of the corpus.
 */
public final class CharCorpusSource implements DatasetSource {
    static final double TRAIN_FRACTION = 0.9;

    private final DatasetInfo info;
    private final String file;

    public CharCorpusSource(DatasetInfo info, String file) {
        this.info = info;
        this.file = file;
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public DataSplits load(DatasetSpec spec, long seed, DataLocations locations) {
        String text = read(locations.verifiedFolder(info).resolve(file));
        Vocabulary vocabulary = Vocabulary.characters(text);
        int length = spec.sequenceLengthOr(info.input().length());
        int cut = (int) (text.length() * TRAIN_FRACTION);
        DataSet train = windows(text.substring(0, cut), vocabulary, length);
        DataSet validation = windows(text.substring(cut), vocabulary, length);
        DatasetInfo actual = new DatasetInfo(info.name(), info.description(), info.samples(), Task.LANGUAGE_MODEL,
                InputShape.tokens(length, vocabulary.size()), vocabulary.tokens(), List.of(), true, 0,
                info.source(), info.license(), info.folder());
        return DataSplits.ofTokens(actual, train, validation, validation, vocabulary);
    }

    /** Inputs are characters {@code [i, i + length)}, targets {@code [i + 1, i + length + 1)}, windows not overlapping. */
    static DataSet windows(String text, Vocabulary vocabulary, int length) {
        int[] ids = text.codePoints().map(c -> vocabulary.id(Character.toString(c))).toArray();
        List<int[]> inputs = new ArrayList<>();
        List<int[]> targets = new ArrayList<>();
        for (int start = 0; start + length + 1 <= ids.length; start += length) {
            inputs.add(java.util.Arrays.copyOfRange(ids, start, start + length));
            targets.add(java.util.Arrays.copyOfRange(ids, start + 1, start + length + 1));
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("dataset.sequence_length: " + length + " is longer than a split of "
                    + ids.length + " characters");
        }
        return new DataSet(SequenceArrays.ids(inputs, length), SequenceArrays.oneHot(targets, length, vocabulary.size()));
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataFileException(path, "unreadable (" + e.getMessage() + ")",
                    Sha256Sums.howToRestore(path.getParent(), false));
        }
    }
}
