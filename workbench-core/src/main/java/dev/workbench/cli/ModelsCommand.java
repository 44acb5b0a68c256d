package dev.workbench.cli;

import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List model families, their architectures and hyperparameters with defaults and ranges.")
final class ModelsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        ModelRegistry registry = ModelRegistry.builtIn();
        for (String family : registry.families()) {
            System.out.println(family);
            for (ModelFactory factory : registry.all()) {
                if (!factory.family().equals(family)) {
                    continue;
                }
                System.out.println("  " + factory.architecture() + " - " + factory.description());
                for (HyperparameterSpec p : factory.hyperparameters()) {
                    System.out.printf("    %-16s default %-10s %-28s %s%n", p.name(), p.defaultValue(), p.range(), p.description());
                }
            }
        }
        return 0;
    }
}
