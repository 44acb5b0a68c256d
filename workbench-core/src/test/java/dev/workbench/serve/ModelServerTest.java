package dev.workbench.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.predict.Predictor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** The HTTP endpoint on loopback: answers, and clear 4xx errors for bad requests. */
class ModelServerTest {
    @TempDir
    static Path output;
    static ModelServer server;
    static Predictor predictor;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void exportAndServe() throws Exception {
        Workbench workbench = TestWorkbench.quiet();
        Workbench.Run run = workbench.train(TestWorkbench.irisJob(output, "training.epochs=5"));
        Path onnx = workbench.export(run.folder().root(), 17, null, 30).file();
        predictor = workbench.predictor(onnx, "onnx");
        server = new ModelServer(predictor, "127.0.0.1", 0, new ModelServer.Limits(2_000, 8));
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
}
