package dev.workbench.models;

import dev.workbench.naming.ClosestName;
import dev.workbench.models.autoencoder.DenseAutoencoderFactory;
import dev.workbench.models.autoencoder.SparseAutoencoderFactory;
import dev.workbench.models.autoencoder.VariationalAutoencoderFactory;
import dev.workbench.models.cnn.LeNetFactory;
import dev.workbench.models.cnn.ResNetFactory;
import dev.workbench.models.cnn.VggFactory;
import dev.workbench.models.dense.MlpFactory;
import dev.workbench.models.gan.DcganFactory;
import dev.workbench.models.gan.DenseGanFactory;
import dev.workbench.models.gnn.GatFactory;
import dev.workbench.models.gnn.GcnFactory;
import dev.workbench.models.gnn.SageFactory;
import dev.workbench.models.rnn.GruFactory;
import dev.workbench.models.rnn.LstmFactory;
import dev.workbench.models.transformer.GptFactory;
import dev.workbench.models.transformer.MaskedLanguageModelFactory;
import dev.workbench.models.transformer.TransformerEncoderFactory;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Every architecture a job can name, by family and architecture. */
public final class ModelRegistry {
    private final List<ModelFactory> factories;

    public ModelRegistry(List<ModelFactory> factories) {
        this.factories = List.copyOf(factories);
    }

    public static ModelRegistry builtIn() {
        return new ModelRegistry(List.of(new MlpFactory(), new LeNetFactory(), new VggFactory(), new ResNetFactory(),
                DenseAutoencoderFactory.plain(), DenseAutoencoderFactory.denoising(), new SparseAutoencoderFactory(),
                new VariationalAutoencoderFactory(), new LstmFactory(), new GruFactory(),
                new TransformerEncoderFactory(), new GptFactory(), new MaskedLanguageModelFactory(),
                new GcnFactory(), new GatFactory(),
                new SageFactory(), DenseGanFactory.plain(), new DcganFactory(), DenseGanFactory.conditioned()));
    }

    public List<ModelFactory> all() {
        return factories;
    }

    public TreeSet<String> families() {
        TreeSet<String> families = new TreeSet<>();
        factories.forEach(f -> families.add(f.family()));
        return families;
    }

    public List<String> architectures(String family) {
        return factories.stream().filter(f -> f.family().equals(family)).map(ModelFactory::architecture).toList();
    }

    public Optional<ModelFactory> find(String family, String architecture) {
        return factories.stream()
                .filter(f -> f.family().equals(family) && f.architecture().equals(architecture))
                .findFirst();
    }

    /** The factory, or an error naming what is unknown and the closest known name. */
    public ModelFactory get(String family, String architecture) {
        return find(family, architecture).orElseThrow(() -> new IllegalArgumentException(
                families().contains(family) ? unknownArchitecture(family, architecture) : unknownFamily(family)));
    }

    public String unknownFamily(String family) {
        return "unknown family '" + family + "'" + ClosestName.hint(family, families())
                + "; known: " + String.join(", ", families());
    }

    public String unknownArchitecture(String family, String architecture) {
        List<String> known = architectures(family);
        return "unknown architecture '" + architecture + "' in family " + family
                + ClosestName.hint(architecture, known) + "; known: " + String.join(", ", known);
    }
}
