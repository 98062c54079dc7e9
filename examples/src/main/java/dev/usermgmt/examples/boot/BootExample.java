package dev.usermgmt.examples.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.UserDraft;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with the starter: its {@code DataSource} comes from {@code
 * spring.datasource.*}, and the starter migrates the library's schema and provides the {@link
 * UserDirectory}, the {@link BulkEngine} and the JSON of the reference API on Boot's {@link
 * ObjectMapper} ({@code application.properties} of this package's resources configure it).
 */
@SpringBootApplication
public class BootExample {
  /** Created by Spring. */
  public BootExample() {}

  /**
   * Starts the application, creates one person and prints the reference API's dry run of a
   * deactivation request as JSON.
   *
   * @param args Spring Boot's arguments
   * @throws IOException when the request cannot be read
   */
  public static void main(String[] args) throws IOException {
    var context = SpringApplication.run(BootExample.class, args);
    System.out.println(
        dryRun(
            context.getBean(UserDirectory.class),
            context.getBean(BulkEngine.class),
            context.getBean(ObjectMapper.class)));
  }

  /**
   * Creates Alex in tenant {@code acme} and answers the reference's request body, with its
   * vendor-specific flag name, as the reference's dry-run JSON.
   *
   * @param directory the starter's directory
   * @param bulk the starter's bulk engine
   * @param json Boot's object mapper, with the starter's module
   * @return the response body
   * @throws IOException when the request cannot be read
   */
  static String dryRun(UserDirectory directory, BulkEngine bulk, ObjectMapper json)
      throws IOException {
    Actor admin =
        Actor.builder()
            .tenant(TenantId.of("acme"))
            .role(directory.roles().parse("support"))
            .supportLevel(2)
            .build();
    if (directory.findByEmails(admin, List.of(EmailAddress.parse("alex@example.com"))).isEmpty()) {
      directory.create(
          admin,
          List.of(
              UserDraft.builder()
                  .primaryEmail(EmailAddress.parse("alex@example.com"))
                  .firstName("Alex")
                  .build()));
    }
    DeactivationRequest request =
        json.readValue(
            "{\"emails\": [\"alex@example.com\", \"nobody@example.com\"],"
                + " \"allowVendorInternalEmails\": false}",
            DeactivationRequest.class);
    DeactivationPlan plan = bulk.planDeactivation(admin, request, BulkListener.NONE);
    return json.writeValueAsString(plan);
  }
}
