package dev.workbench.cli;

import dev.workbench.Workbench;
import dev.workbench.predict.Predictor;
import dev.workbench.serve.ModelServer;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve an exported model over HTTP with ONNX Runtime (JSON in, JSON out).",
                "GET /health, GET /v1/model, POST /v1/predict {\"inputs\": [[raw feature values...], ...]}."})
final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "an exported model.onnx (or a run folder holding one)")
    Path model;

    @Option(names = "--port", defaultValue = "8080", description = "port (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default ${DEFAULT-VALUE}: this machine only)")
    String host;

    @Option(names = "--max-body-bytes", defaultValue = "4194304", description = "largest request body (default ${DEFAULT-VALUE})")
    int maxBodyBytes;

    @Option(names = "--max-batch", defaultValue = "1024", description = "most examples per request (default ${DEFAULT-VALUE})")
    int maxBatch;

    @Option(names = "--workers", defaultValue = "64",
            description = "requests handled at once (default ${DEFAULT-VALUE}); at most one per core runs the model")
    int workers;

    @Override
    public Integer call() throws Exception {
        ModelServer.Limits limits = new ModelServer.Limits(maxBodyBytes, maxBatch, workers);
        Predictor predictor = Workbench.standard(System.out).predictor(model, "onnx");
        ModelServer server;
        try {
            server = new ModelServer(predictor, host, port, limits);
        } catch (BindException e) {
            throw new IllegalArgumentException(e.getMessage() + " (choose another --port, or 0 for a free one)", e);
        }
        server.start();
        System.out.println("serving " + model + " on http://" + host + ":" + server.port() + " (Ctrl-C stops)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
