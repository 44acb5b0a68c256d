package dev.workbench.cli;

import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.data.DatasetSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List datasets: samples, shape, classes, source, licence and whether their files are present.")
final class DatasetsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        DataLocations locations = DataLocations.fromEnvironment();
        System.out.println("data folder: " + locations.datasets());
        System.out.printf("%-14s %-8s %7s %-8s %7s  %-40s %s%n", "name", "present", "samples", "input", "classes", "source", "licence");
        for (DatasetSource source : DatasetRegistry.builtIn().all()) {
            DatasetInfo info = source.info();
            System.out.printf("%-14s %-8s %7d %-8s %7d  %-40s %s%n", info.name(), locations.isPresent(info) ? "yes" : "NO",
                    info.samples(), info.input(), info.numClasses(), info.source(), info.license());
        }
        return 0;
    }
}
