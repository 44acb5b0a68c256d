package dev.workbench.bench;

import dev.workbench.data.DataSplits;
import dev.workbench.train.Network;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Training steps on request, for timing the workbench and another framework in alternating slices on the same
 * machine (benchmarks/pytorch/lockstep.py): a shared VM's throughput drifts between minutes, which swamps a
 * comparison of runs made minutes apart. Reads lines {@code WORKLOAD SECONDS} on stdin; for each, runs whole
 * training steps (the JMH benchmark's step: fit on one real batch) until the time is up and answers
 * {@code steps N seconds S}. A workload's network is built on its first request and kept.
 */
public final class StepServer {
    private final Map<Workload, Network> networks = new EnumMap<>(Workload.class);
    private final Map<Workload, DataSet> batches = new EnumMap<>(Workload.class);

    public static void main(String[] args) throws IOException {
        new StepServer().serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    private void serve(BufferedReader requests) throws IOException {
        System.out.println("ready");
        System.out.flush();
        for (String line; (line = requests.readLine()) != null; ) {
            String[] words = line.trim().split("\\s+");
            if (words.length != 2) {
                throw new IllegalArgumentException("expected 'WORKLOAD SECONDS', got '" + line + "'");
            }
            Workload workload = Workload.valueOf(words[0]);
            long budget = (long) (Double.parseDouble(words[1]) * 1e9);
            Network network = networks.computeIfAbsent(workload, this::prepare);
            DataSet batch = batches.get(workload);
            long start = System.nanoTime();
            long steps = 0;
            long elapsed;
            do {
                network.fit(batch);
                steps++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < budget);
            System.out.println("steps " + steps + " seconds " + elapsed / 1e9);
            System.out.flush();
        }
    }

    private Network prepare(Workload workload) {
        DataSplits data = workload.data();
        batches.put(workload, workload.stepBatch(data));
        return workload.build(data);
    }
}
