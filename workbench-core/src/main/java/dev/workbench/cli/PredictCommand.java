package dev.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.Workbench;
import dev.workbench.predict.InputReader;
import dev.workbench.predict.Prediction;
import dev.workbench.predict.Predictor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict with a trained model: labels with probabilities.",
                "INPUT is an image file (grey-scaled and resized to the model's input), a CSV file (one example per line)"
                        + " or one inline CSV row of raw feature values, e.g. 5.1,3.5,1.4,0.2."})
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "a run folder or an exported .onnx file")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT", description = "images, CSV files or CSV rows")
    List<String> inputs;

    @Option(names = "--engine", defaultValue = "dl4j", description = "dl4j (run folder) or onnx (default ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--invert", description = "invert image grey levels (dark ink on light paper; MNIST is light on dark)")
    boolean invert;

    @Option(names = "--top", defaultValue = "3", description = "classes shown per input (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--json", description = "print the predictions as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Predictor predictor = Workbench.standard(System.out).predictor(Path.of(model.toString()), engine);
        List<String> names = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (String input : inputs) {
            List<float[]> read = InputReader.read(input, predictor.metadata(), invert);
            for (int i = 0; i < read.size(); i++) {
                names.add(read.size() == 1 ? input : input + "#" + (i + 1));
            }
            rows.addAll(read);
        }
        List<Prediction> predictions = predictor.predict(Nd4j.create(rows.toArray(new float[0][])));
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(predictions));
            return 0;
        }
        for (int i = 0; i < predictions.size(); i++) {
            Prediction p = predictions.get(i);
            String scores = p.scores().entrySet().stream()
                    .sorted(Comparator.comparingDouble(e -> -e.getValue()))
                    .limit(p.label() == null ? Long.MAX_VALUE : top)
                    .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "));
            System.out.println(p.label() == null ? names.get(i) + ": " + scores
                    : String.format(Locale.ROOT, "%s: %s (p=%.4f)  [%s]", names.get(i), p.label(), p.probability(), scores));
        }
        return 0;
    }
}
