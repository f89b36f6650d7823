package dev.cnnlab.tracker.run;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.cnnlab.tracker.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** GET /api/schema lists the run and fold statuses from {@link RunStatus}, which the UI's filters and refreshes use. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class StatusSchemaTest {

    @Test
    void theSchemaListsEveryStatusInOrderAndWhichAreFinished() {
        given().when().get("/api/schema").then().statusCode(200)
                .body("statuses.name", equalTo(Arrays.stream(RunStatus.values()).map(Enum::name).toList()))
                .body("statuses.finished", equalTo(Arrays.asList(false, false, true, true, true, true, true)));
    }

    @Test
    void aStatusFilterOutsideTheEnumIsRefusedNamingTheAllowedOnes() {
        given().when().get("/api/runs?status=DONE").then().statusCode(400)
                .body("error", equalTo("status must be one of " + Arrays.toString(RunStatus.values()) + ", got 'DONE'"));
    }
}
