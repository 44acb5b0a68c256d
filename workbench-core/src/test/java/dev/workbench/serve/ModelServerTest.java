package dev.workbench.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.predict.Predictor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** The HTTP endpoint on loopback: answers, clear 4xx errors for bad requests, and no hang for stalled clients. */
class ModelServerTest {
    @TempDir
    static Path output;
    static ModelServer server;
    static Predictor predictor;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    static final int WORKERS = 4;

    @BeforeAll
    static void exportAndServe() throws Exception {
        Workbench workbench = TestWorkbench.quiet();
        Workbench.Run run = workbench.train(TestWorkbench.irisJob(output, "training.epochs=5"));
        Path onnx = workbench.export(run.folder().root(), 17, null, 30).file();
        predictor = workbench.predictor(onnx, "onnx");
        server = new ModelServer(predictor, "127.0.0.1", 0, new ModelServer.Limits(2_000, 8, WORKERS));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndModelDescription() throws Exception {
        assertEquals(200, send("GET", "/health", null).statusCode());
        JsonNode model = JSON.readTree(send("GET", "/v1/model", null).body());
        assertEquals("iris", model.get("dataset").asText());
        assertEquals(3, model.get("labels").size());
        assertEquals(4, model.get("features").asInt());
    }

    @Test
    void predictsLikeThePredictorItServes() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/predict", "{\"inputs\": [[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode predictions = JSON.readTree(response.body()).get("predictions");
        var direct = predictor.predict(Nd4j.create(new float[][]{{5.1f, 3.5f, 1.4f, 0.2f}, {6.7f, 3.0f, 5.2f, 2.3f}}));
        for (int i = 0; i < 2; i++) {
            assertEquals(direct.get(i).label(), predictions.get(i).get("label").asText());
            assertEquals(direct.get(i).probability(), predictions.get(i).get("probability").asDouble(), 1e-6);
        }
    }

    @Test
    void badRequestsGetClearClientErrors() throws Exception {
        HttpResponse<String> wrongCount = send("POST", "/v1/predict", "{\"inputs\": [[1, 2]]}");
        assertEquals(400, wrongCount.statusCode());
        assertTrue(wrongCount.body().contains("inputs[0]: expected an array of 4 numbers, got 2 values"), wrongCount.body());
        HttpResponse<String> notNumber = send("POST", "/v1/predict", "{\"inputs\": [[1, 2, \"x\", 4]]}");
        assertEquals(400, notNumber.statusCode());
        assertTrue(notNumber.body().contains("inputs[0][2]: expected a number"), notNumber.body());
        assertEquals(400, send("POST", "/v1/predict", "not json").statusCode());
        assertEquals(400, send("POST", "/v1/predict", "{\"rows\": []}").statusCode());
        assertEquals(405, send("GET", "/v1/predict", null).statusCode());
        assertEquals(404, send("GET", "/v2/anything", null).statusCode());
    }

    @Test
    void oversizedBodiesAndBatchesAreRefused() throws Exception {
        String huge = "{\"inputs\": [[" + "1,".repeat(1_500) + "1]]}";
        assertEquals(413, send("POST", "/v1/predict", huge).statusCode());
        String nine = "{\"inputs\": [" + "[1,2,3,4],".repeat(8) + "[1,2,3,4]]}";
        HttpResponse<String> tooMany = send("POST", "/v1/predict", nine);
        assertEquals(413, tooMany.statusCode());
        assertTrue(tooMany.body().contains("at most 8 examples per request, got 9"), tooMany.body());
    }

    @Test
    void pathsMatchExactly() throws Exception {
        for (String path : new String[]{"/healthzzz", "/health/", "/v1/modelx", "/v1/predictXYZ", "/v1/predict/1"}) {
            HttpResponse<String> response = send(path.startsWith("/v1/predict") ? "POST" : "GET", path, "{}");
            assertEquals(404, response.statusCode(), path);
            assertTrue(response.body().contains("no such endpoint: " + path), response.body());
        }
    }

    @Test
    void nonFiniteInputsAreRefusedWithTheirIndex() throws Exception {
        String[][] cases = {
                {"[[5.1, NaN, 1.4, 0.2]]", "inputs[0][1]: expected a finite number, got NaN"},
                {"[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 1e400, 2.3]]",
                        "inputs[1][2]: expected a finite number, got Infinity"},
                {"[[-Infinity, 3.5, 1.4, 0.2]]", "inputs[0][0]: expected a finite number, got -Infinity"},
                {"[[5.1, 3.5, 1.4, 1e39]]",
                        "inputs[0][3]: expected a finite number, got 1.0E39 (beyond a 32-bit float's ±3.4e38)"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = send("POST", "/v1/predict", "{\"inputs\": " + c[0] + "}");
            assertEquals(400, response.statusCode(), c[0]);
            assertTrue(JSON.readTree(response.body()).get("error").asText().startsWith(c[1]), response.body());
        }
    }

    @Test
    void aDeclaredBodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        try (Socket client = loopbackClient()) {
            send(client, "POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 99999999999\r\n\r\n{}");
            String statusLine = statusLine(client.getInputStream());
            assertTrue(statusLine.startsWith("HTTP/1.1 413"), statusLine);
        }
    }

    @Test
    void stalledClientsDoNotBlockOthers() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                stalled.add(stalledClient());
            }
            assertEquals(200, send("GET", "/health", null).statusCode());
            assertEquals(200, send("POST", "/v1/predict", "{\"inputs\": [[5.1,3.5,1.4,0.2]]}").statusCode());
            // Answered while the stalled two were still connected: they finish their requests now and are answered.
            for (Socket socket : stalled) {
                send(socket, "ngth: 31\r\n\r\n{\"inputs\": [[5.1,3.5,1.4,0.2]]}");
                assertEquals("HTTP/1.1 200 OK", statusLine(socket.getInputStream()));
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void stalledClientsAreCutOffEvenWhenTheyOutnumberTheWorkers() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < WORKERS + 2; i++) {
                stalled.add(stalledClient());
            }
            for (Socket socket : stalled) {
                assertClosedByServer(socket);
            }
            assertEquals(200, send("GET", "/health", null).statusCode());
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void aBusyPortIsNamed() {
        BindException e = assertThrows(BindException.class,
                () -> new ModelServer(predictor, "127.0.0.1", server.port(), new ModelServer.Limits(2_000, 8, 1)));
        assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + server.port() + ": "), e.getMessage());
    }

    /** A client that has sent half a request line and headers, then waits. */
    private static Socket stalledClient() throws IOException {
        Socket socket = loopbackClient();
        send(socket, "POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Le");
        return socket;
    }

    private static Socket loopbackClient() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(60_000); // bounds a broken test; far above the server's request timeout (10 s)
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().strip();
    }

    /** The server ends the connection (end of stream, or a reset) without answering; a read timeout fails. */
    private static void assertClosedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertEquals(-1, in.read(), "the server answered a request it never fully received");
        } catch (SocketException reset) {
            // closed with unread data: a reset is the server closing it too
        }
    }
}
