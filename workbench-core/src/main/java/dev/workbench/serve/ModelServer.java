package dev.workbench.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.workbench.onnx.ModelMetadata;
import dev.workbench.predict.Predictor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small HTTP JSON inference endpoint (JDK HttpServer):
 * <ul>
 *   <li>{@code GET /health} → {@code {"status":"ok"}}</li>
 *   <li>{@code GET /v1/model} → job, dataset, task, labels, input shape</li>
 *   <li>{@code POST /v1/predict} with {@code {"inputs": [[raw feature values...], ...]}} →
 *       {@code {"predictions": [{"label", "probability", "scores"}...]}}</li>
 * </ul>
 * Bad requests get a 4xx with {@code {"error": "..."}} naming what is wrong; bodies over the size limit get 413.
 */
public final class ModelServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Limits that keep one request from exhausting the server. */
    public record Limits(int maxBodyBytes, int maxBatch) {
        public static final Limits DEFAULT = new Limits(4 << 20, 1024);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final Predictor predictor;
    private final Limits limits;

    public ModelServer(Predictor predictor, String host, int port, Limits limits) throws IOException {
        this.predictor = predictor;
        this.limits = limits;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/health", exchange -> handle(exchange, "GET", () -> Map.of("status", "ok")));
        server.createContext("/v1/model", exchange -> handle(exchange, "GET", this::describe));
        server.createContext("/v1/predict", exchange -> handle(exchange, "POST", () -> predict(exchange)));
        server.createContext("/", exchange -> reply(exchange, 404, Map.of("error", "no such endpoint: " + exchange.getRequestURI().getPath()
                + "; use GET /health, GET /v1/model, POST /v1/predict")));
        server.setExecutor(executor);
    }

    public void start() {
        server.start();
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private interface Body {
        Object get() throws RequestException, IOException;
    }

    private static final class RequestException extends Exception {
        final int status;

        RequestException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void handle(HttpExchange exchange, String method, Body body) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals(method)) {
                exchange.getResponseHeaders().add("Allow", method);
                reply(exchange, 405, Map.of("error", exchange.getRequestMethod() + " not allowed; use " + method));
                return;
            }
            try {
                reply(exchange, 200, body.get());
            } catch (RequestException e) {
                reply(exchange, e.status, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                reply(exchange, 500, Map.of("error", "inference failed: " + e.getMessage()));
            }
        }
    }

    private Map<String, Object> describe() {
        ModelMetadata m = predictor.metadata();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job", m.job());
        out.put("dataset", m.dataset());
        out.put("task", m.task().name().toLowerCase());
        out.put("labels", m.labels());
        out.put("features", m.input().features());
        out.put("input_shape", m.input().toString());
        out.put("engine", predictor.engineName());
        return out;
    }

    private Map<String, Object> predict(HttpExchange exchange) throws RequestException, IOException {
        byte[] body = readLimited(exchange.getRequestBody());
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RequestException(400, "body is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode inputs = request == null ? null : request.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new RequestException(400, "expected {\"inputs\": [[numbers...], ...]} with at least one example");
        }
        if (inputs.size() > limits.maxBatch()) {
            throw new RequestException(413, "at most " + limits.maxBatch() + " examples per request, got " + inputs.size());
        }
        int features = predictor.metadata().input().features();
        float[][] rows = new float[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode row = inputs.get(i);
            if (!row.isArray() || row.size() != features) {
                throw new RequestException(400, "inputs[" + i + "]: expected an array of " + features + " numbers, got "
                        + (row.isArray() ? row.size() + " values" : row.getNodeType().toString().toLowerCase()));
            }
            rows[i] = new float[features];
            for (int j = 0; j < features; j++) {
                if (!row.get(j).isNumber()) {
                    throw new RequestException(400, "inputs[" + i + "][" + j + "]: expected a number, got " + row.get(j));
                }
                rows[i][j] = row.get(j).floatValue();
            }
        }
        INDArray raw = Nd4j.create(rows);
        return Map.of("predictions", predictor.predict(raw));
    }

    private byte[] readLimited(InputStream in) throws IOException, RequestException {
        byte[] body = in.readNBytes(limits.maxBodyBytes() + 1);
        if (body.length > limits.maxBodyBytes()) {
            throw new RequestException(413, "request body over " + limits.maxBodyBytes() + " bytes");
        }
        return body;
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
