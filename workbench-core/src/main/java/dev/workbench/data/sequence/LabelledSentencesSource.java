package dev.workbench.data.sequence;

import dev.workbench.data.DataFileException;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.DatasetSource;
import dev.workbench.data.InputShape;
import dev.workbench.data.OneHot;
import dev.workbench.data.Sha256Sums;
import dev.workbench.data.StratifiedSplit;
import dev.workbench.job.DatasetSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Sentences labelled with a class, one {@code sentence<TAB>label} per line, in one or more files. Sentences are
 * lower-cased and split into words; the split is stratified by class with the job's fractions; the vocabulary is
 * built from the training sentences only (words seen twice or more, at most {@value #MAX_VOCABULARY}), so
 * validation and test words it never saw become {@code <unk>}.
 *
 * <p>With unlabelled text ({@link UnlabelledLines}), the data is ready for masked language modelling: the
 * vocabulary reserves {@code <cls>} and {@code <mask>} ({@link Vocabulary#maskable}) and is built from the training
 * sentences and the unlabelled lines, every sentence and line starts with {@code <cls>}, and the lines come with
 * the splits as {@link DataSplits#unlabelled()}. Validation and test sentences are in neither.
 */
public final class LabelledSentencesSource implements DatasetSource {
    public static final int MAX_VOCABULARY = 20_000;
    private static final int MIN_COUNT = 2;
    private static final Pattern WORD = Pattern.compile("[a-z0-9]+(?:'[a-z]+)?");

    private final DatasetInfo info;
    private final List<String> files;
    private final UnlabelledLines unlabelled;

    public LabelledSentencesSource(DatasetInfo info, List<String> files) {
        this(info, files, null);
    }

    /** @param unlabelled text without labels for pre-training, null for none */
    public LabelledSentencesSource(DatasetInfo info, List<String> files, UnlabelledLines unlabelled) {
        this.info = info;
        this.files = List.copyOf(files);
        this.unlabelled = unlabelled;
    }

    /**
     * Lines of a text file in another dataset's folder (checked against its SHA256SUMS) that become unlabelled
     * sentences: those of at least {@code minWords} words, each cut to the sequence length.
     */
    public record UnlabelledLines(DatasetInfo dataset, String file, int minWords) {
        List<List<String>> read(DataLocations locations) {
            Path path = locations.verifiedFolder(dataset).resolve(file);
            try {
                return Files.readAllLines(path, StandardCharsets.UTF_8).stream().map(LabelledSentencesSource::words)
                        .filter(words -> words.size() >= minWords).toList();
            } catch (IOException e) {
                throw new DataFileException(path, "unreadable (" + e.getMessage() + ")",
                        Sha256Sums.howToRestore(path.getParent(), false));
            }
        }
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public DataSplits load(DatasetSpec spec, long seed, DataLocations locations) {
        Path folder = locations.verifiedFolder(info);
        List<List<String>> sentences = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String file : files) {
            read(folder.resolve(file), sentences, labels);
        }
        int[] classes = labels.stream().mapToInt(Integer::intValue).toArray();
        StratifiedSplit split = StratifiedSplit.of(classes, spec.splits().validation(), spec.splits().test(), seed);
        List<List<String>> trainSentences = Arrays.stream(split.train()).mapToObj(sentences::get).toList();
        List<List<String>> lines = unlabelled == null ? List.of() : unlabelled.read(locations);
        Vocabulary vocabulary = unlabelled == null
                ? Vocabulary.words(trainSentences, MIN_COUNT, MAX_VOCABULARY)
                : Vocabulary.maskable(concat(trainSentences, lines), MIN_COUNT, MAX_VOCABULARY);
        int length = spec.sequenceLengthOr(info.input().length());
        DatasetInfo actual = new DatasetInfo(info.name(), info.description(), info.samples(), info.task(),
                InputShape.tokens(length, vocabulary.size()), info.labels(), List.of(), false, 0,
                info.source(), info.license(), info.folder());
        INDArray unlabelledIds = unlabelled == null ? null
                : SequenceArrays.ids(lines.stream().map(words -> ids(words, vocabulary, length)).toList(), length);
        return new DataSplits(actual, encode(split.train(), sentences, classes, vocabulary, length),
                encode(split.validation(), sentences, classes, vocabulary, length),
                encode(split.test(), sentences, classes, vocabulary, length), null, null, vocabulary, unlabelledIds);
    }

    private static List<List<String>> concat(List<List<String>> a, List<List<String>> b) {
        List<List<String>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A sentence's ids, padded in front; after {@code <cls>} when the vocabulary has one (its last words kept). */
    private static int[] ids(List<String> words, Vocabulary vocabulary, int length) {
        int[] ids = words.stream().mapToInt(vocabulary::id).toArray();
        if (vocabulary.contains(Vocabulary.CLS)) {
            int[] withCls = new int[Math.min(ids.length, length - 1) + 1];
            withCls[0] = vocabulary.id(Vocabulary.CLS);
            System.arraycopy(ids, ids.length - (withCls.length - 1), withCls, 1, withCls.length - 1);
            ids = withCls;
        }
        return SequenceArrays.prePadded(ids, length);
    }

    /** Lower-case words (with an inner apostrophe kept: "don't"), in order. */
    public static List<String> words(String sentence) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(sentence.toLowerCase(java.util.Locale.ROOT));
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    private DataSet encode(int[] rows, List<List<String>> sentences, int[] classes, Vocabulary vocabulary, int length) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a split is empty: use larger fractions or more data");
        }
        List<int[]> ids = new ArrayList<>();
        int[] rowClasses = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            ids.add(ids(sentences.get(rows[i]), vocabulary, length));
            rowClasses[i] = classes[rows[i]];
        }
        return new DataSet(SequenceArrays.ids(ids, length), OneHot.encode(rowClasses, info.numClasses()));
    }

    private void read(Path file, List<List<String>> sentences, List<Integer> labels) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataFileException(file, "unreadable (" + e.getMessage() + ")",
                    Sha256Sums.howToRestore(file.getParent(), false));
        }
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            int tab = line.lastIndexOf('\t');
            String label = tab < 0 ? "" : line.substring(tab + 1).trim();
            int c = label.matches("\\d+") ? Integer.parseInt(label) : -1;
            if (c < 0 || c >= info.numClasses()) {
                throw new DataFileException(file, "line " + (n + 1) + ": expected 'sentence<TAB>label' with a label in [0, "
                        + (info.numClasses() - 1) + "], got '" + line + "'",
                        Sha256Sums.howToRestore(file.getParent(), false));
            }
            sentences.add(words(line.substring(0, tab)));
            labels.add(c);
        }
    }
}
