package dev.workbench.data;

import dev.workbench.job.DatasetSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.InputStreamInputSplit;
import org.datavec.api.transform.TransformProcess;
import org.datavec.api.transform.schema.Schema;
import org.datavec.api.writable.Writable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A classification CSV as shipped in scikit-learn's {@code sklearn/datasets/data} (Debian python3-sklearn):
 * numeric feature columns then an integer class column, optionally after one header line. Rows go through
 * DataVec: CSVRecordReader, then a TransformProcess that drops the job's {@code drop_columns}.
 */
public final class SklearnCsvSource implements DatasetSource {
    private final DatasetInfo info;
    private final String fileName;
    private final int headerLines;

    /**
     * @param info        the dataset; its {@code featureNames} are the columns in file order, before the label
     * @param headerLines lines to skip at the top ({@code n_samples,n_features,class names...} in sklearn's files)
     */
    public SklearnCsvSource(DatasetInfo info, String fileName, int headerLines) {
        this.info = info;
        this.fileName = fileName;
        this.headerLines = headerLines;
    }

    /** Generic column names {@code f0..f(n-1)}. */
    public static List<String> columns(int n) {
        return IntStream.range(0, n).mapToObj(i -> "f" + i).toList();
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public DataSplits load(DatasetSpec spec, long seed, DataLocations locations) {
        Path folder = locations.verifiedFolder(info);
        Path file = folder.resolve(fileName);
        TransformProcess transform = transform(spec.dropColumns());
        int kept = transform.getFinalSchema().numColumns() - 1;
        List<float[]> features = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        try (InputStream in = open(file); CSVRecordReader reader = new CSVRecordReader(headerLines, ',')) {
            reader.initialize(new InputStreamInputSplit(in));
            int line = headerLines;
            while (reader.hasNext()) {
                line++;
                List<Writable> raw = reader.next();
                if (raw.size() != info.featureNames().size() + 1) {
                    throw new DataFileException(file, "line " + line + " has " + raw.size() + " columns, expected "
                            + (info.featureNames().size() + 1), "Restore it with git; see its SOURCE.md");
                }
                List<Writable> row = transform.execute(raw);
                float[] values = new float[kept];
                for (int c = 0; c < kept; c++) {
                    values[c] = (float) row.get(c).toDouble();
                }
                features.add(values);
                classes.add(row.get(kept).toInt());
            }
        } catch (IOException | NumberFormatException e) {
            throw new DataFileException(file, "unreadable (" + e.getMessage() + ")", "Restore it with git; see its SOURCE.md");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        INDArray x = Nd4j.create(features.toArray(new float[0][]));
        INDArray y = OneHot.encode(classes.stream().mapToInt(Integer::intValue).toArray(), info.numClasses());
        DataSet all = new DataSet(x.castTo(DataType.FLOAT), y);
        DatasetInfo effective = kept == info.featureNames().size() ? info : withFeatures(kept, spec.dropColumns());
        return DataSplits.split(effective, all, spec, seed);
    }

    private TransformProcess transform(List<String> drop) {
        Schema.Builder schema = new Schema.Builder();
        info.featureNames().forEach(schema::addColumnDouble);
        schema.addColumnInteger("label");
        TransformProcess.Builder builder = new TransformProcess.Builder(schema.build());
        if (!drop.isEmpty()) {
            builder.removeColumns(drop.toArray(new String[0]));
        }
        return builder.build();
    }

    private DatasetInfo withFeatures(int kept, List<String> dropped) {
        List<String> names = info.featureNames().stream().filter(n -> !dropped.contains(n)).toList();
        return new DatasetInfo(info.name(), info.description(), info.samples(), info.task(), InputShape.tabular(kept),
                info.labels(), names, info.fixedTestSplit(), 0, info.source(), info.license(), info.folder());
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
    }
}
