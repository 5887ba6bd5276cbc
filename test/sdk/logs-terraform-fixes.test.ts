/**
 * CloudWatch Logs answers Terraform's hashicorp/aws provider reads back (found applying the third Terraform stack).
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, GetDeliveryDestinationCommand, PutDeliveryDestinationCommand } from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { useServer } from "../helpers.js";

describe("Logs as Terraform reads it", () => {
  const t = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));

  it("a delivery destination has an output format only when one was given", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "/tf/dest" }));
    const arn = "arn:aws:logs:us-east-1:000000000000:log-group:/tf/dest";
    const put = await t.logs.send(new PutDeliveryDestinationCommand({ name: "plain", deliveryDestinationConfiguration: { destinationResourceArn: arn } }));
    expect(put.deliveryDestination!.outputFormat).toBeUndefined();
    const got = (await t.logs.send(new GetDeliveryDestinationCommand({ name: "plain" }))).deliveryDestination!;
    expect([got.deliveryDestinationType, got.outputFormat]).toEqual(["CWL", undefined]);
    await t.logs.send(
      new PutDeliveryDestinationCommand({ name: "json", outputFormat: "json", deliveryDestinationConfiguration: { destinationResourceArn: arn } }),
    );
    expect((await t.logs.send(new GetDeliveryDestinationCommand({ name: "json" }))).deliveryDestination!.outputFormat).toBe("json");
  });
});
