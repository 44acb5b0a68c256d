package dev.workbench.serve;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.workbench.onnx.ModelMetadata;
import dev.workbench.predict.Predictor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Paths match exactly; anything else is a 404. Bad requests get a 4xx with {@code {"error": "..."}} naming what is
 * wrong (a non-finite input names its index); a body over the size limit gets 413, at once when its
 * {@code Content-Length} says so.
 *
 * <p>Slow and stalled clients: a client has {@value #REQUEST_SECONDS} s to send a whole request (headers and body)
 * and the server {@value #RESPONSE_SECONDS} s to answer it, then the connection is closed. Requests run on a fixed
 * number of workers with a bounded queue, so stalled clients hold a few workers for a few seconds, never the server;
 * connections beyond the queue are closed. The JDK server reads a request's headers on a worker, so as many stalled
 * clients as workers still make others wait (and a request queued behind them may be cut off with them).
 * The JDK server takes these timeouts from system properties that it reads once, when the first server of the process
 * starts; a {@code -Dsun.net.httpserver.maxReqTime=...} (or {@code maxRspTime}) given on the command line wins.
 */
public final class ModelServer implements AutoCloseable {
    /** Seconds a client has to send one whole request. */
    public static final int REQUEST_SECONDS = 10;
    /** Seconds the server has to answer one request once it is read (inference included). */
    public static final int RESPONSE_SECONDS = 60;

    static {
        // Without these the JDK server waits forever for a request that never ends, holding a worker.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(RESPONSE_SECONDS));
        }
    }

    // NaN and Infinity are read as numbers so that the error can name their index, not just "invalid JSON".
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /**
     * Limits that keep one request, or a few clients, from exhausting the server.
     *
     * @param maxBodyBytes largest request body
     * @param maxBatch     most examples per request
     * @param workers      requests read and answered at once (a reading worker mostly waits on its client;
     *                     inference runs on at most one per core); as many again wait in a queue, and connections
     *                     beyond that are closed
     */
    public record Limits(int maxBodyBytes, int maxBatch, int workers) {
        public static final Limits DEFAULT = new Limits(4 << 20, 1024, 64);

        public Limits {
            if (maxBodyBytes < 1 || maxBatch < 1 || workers < 1) {
                throw new IllegalArgumentException("server limits must be >= 1, got max body bytes " + maxBodyBytes
                        + ", max batch " + maxBatch + ", workers " + workers);
            }
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Predictor predictor;
    private final Limits limits;
    private final Semaphore inferenceSlots = new Semaphore(Runtime.getRuntime().availableProcessors());

    /**
     * Binds {@code host:port} (port 0 picks a free one); {@link #start()} starts answering.
     *
     * @throws BindException naming {@code host:port} when it cannot be bound (in use, or not this machine's address)
     */
    public ModelServer(Predictor predictor, String host, int port, Limits limits) throws IOException {
        this.predictor = predictor;
        this.limits = limits;
        try {
            this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (SocketException e) { // in use, not this machine's address, or a host name that does not resolve
            BindException named = new BindException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        }
        route("/health", "GET", exchange -> Map.of("status", "ok"));
        route("/v1/model", "GET", exchange -> describe());
        route("/v1/predict", "POST", this::predict);
        server.createContext("/", exchange -> {
            try (exchange) {
                notFound(exchange);
            }
        });
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.workers()), task -> {
                    Thread thread = new Thread(task, "model-server-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        // A rejected connection is closed by the JDK server: the client sees it at once, not a hang.
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

    private interface Endpoint {
        Object answer(HttpExchange exchange) throws RequestException, IOException;
    }

    private static final class RequestException extends Exception {
        final int status;

        RequestException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** A JDK context matches every path that starts with its own; this one answers its exact path only. */
    private void route(String path, String method, Endpoint endpoint) {
        HttpHandler handler = exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    notFound(exchange);
                } else if (!exchange.getRequestMethod().equals(method)) {
                    exchange.getResponseHeaders().add("Allow", method);
                    reply(exchange, 405, Map.of("error", exchange.getRequestMethod() + " not allowed; use " + method));
                } else {
                    answer(exchange, endpoint);
                }
            }
        };
        server.createContext(path, handler);
    }

    private static void answer(HttpExchange exchange, Endpoint endpoint) throws IOException {
        try {
            reply(exchange, 200, endpoint.answer(exchange));
        } catch (RequestException e) {
            reply(exchange, e.status, Map.of("error", e.getMessage()));
        } catch (RuntimeException e) {
            reply(exchange, 500, Map.of("error", "inference failed: " + e.getMessage()));
        }
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        reply(exchange, 404, Map.of("error", "no such endpoint: " + exchange.getRequestURI().getPath()
                + "; use GET /health, GET /v1/model, POST /v1/predict"));
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
        byte[] body = readBody(exchange);
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
                JsonNode cell = row.get(j);
                if (!cell.isNumber()) {
                    throw new RequestException(400, "inputs[" + i + "][" + j + "]: expected a number, got " + cell);
                }
                rows[i][j] = cell.floatValue();
                if (!Float.isFinite(rows[i][j])) {
                    boolean floatOverflow = Double.isFinite(cell.doubleValue());
                    throw new RequestException(400, "inputs[" + i + "][" + j + "]: expected a finite number, got "
                            + cell.asText() + (floatOverflow ? " (beyond a 32-bit float's ±3.4e38)" : ""));
                }
            }
        }
        INDArray raw = Nd4j.create(rows);
        inferenceSlots.acquireUninterruptibly();
        try {
            return Map.of("predictions", predictor.predict(raw));
        } finally {
            inferenceSlots.release();
        }
    }

    /** The body, refused with 413 before any of it is read when its declared length is over the limit. */
    private byte[] readBody(HttpExchange exchange) throws IOException, RequestException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        // The JDK server has already refused a Content-Length that is not a non-negative long.
        if (declared != null && Long.parseLong(declared.trim()) > limits.maxBodyBytes()) {
            exchange.getResponseHeaders().set("Connection", "close");
            throw new RequestException(413, "request body of " + declared.trim() + " bytes is over the limit of "
                    + limits.maxBodyBytes() + " bytes");
        }
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes(limits.maxBodyBytes() + 1);
        if (body.length > limits.maxBodyBytes()) {
            exchange.getResponseHeaders().set("Connection", "close");
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
