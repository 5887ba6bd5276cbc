/** S3 event notifications to Lambda: in execute mode the function runs with the S3 event JSON. */
import { CreateLogGroupCommand, CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { clientConfig, expectAwsError, useServer } from "../helpers.js";
import { ROLE, zip } from "./lambda-helpers.js";

const sim = useServer({ execute: true });

describe("notifications", () => {
  it("ObjectCreated and ObjectRemoved events invoke the Lambda destination with the S3 event, filtered by prefix and suffix", async () => {
    const s3 = new S3Client(clientConfig(sim.server, { forcePathStyle: true }));
    const lambda = new LambdaClient(clientConfig(sim.server));
    const logs = new CloudWatchLogsClient(clientConfig(sim.server));
    const code = zip({
      "index.js":
        "exports.handler = async (e) => { const r = e.Records[0]; console.log('EVENT ' + r.eventName + ' ' + r.s3.bucket.name + ' ' + r.s3.object.key); return 1; };",
    });
    const fn = await lambda.send(
      new CreateFunctionCommand({ FunctionName: "onput", Runtime: "nodejs20.x", Handler: "index.handler", Role: ROLE, Code: { ZipFile: code } }),
    );
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/aws/lambda/onput" })).catch(() => undefined);
    await s3.send(new CreateBucketCommand({ Bucket: "events" }));
    await expectAwsError(
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: "events",
          NotificationConfiguration: {
            LambdaFunctionConfigurations: [{ LambdaFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:nope", Events: ["s3:ObjectCreated:*"] }],
          },
        }),
      ),
      { name: "InvalidArgument", status: 400, message: "Unable to validate the following destination configurations" },
    );
    // SkipDestinationValidation (x-amz-skip-destination-validation) stores it without the check, as the CDK asks.
    await s3.send(new CreateBucketCommand({ Bucket: "events-unchecked" }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: "events-unchecked",
        SkipDestinationValidation: true,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [{ LambdaFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:later", Events: ["s3:ObjectCreated:*"] }],
        },
      }),
    );
    const stored = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: "events-unchecked" }));
    expect(stored.LambdaFunctionConfigurations!.map((c) => c.LambdaFunctionArn)).toEqual(["arn:aws:lambda:us-east-1:000000000000:function:later"]);
    // An object created there while the function does not exist is stored as usual.
    await s3.send(new PutObjectCommand({ Bucket: "events-unchecked", Key: "k", Body: "x" }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: "events",
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Id: "uploads",
              LambdaFunctionArn: fn.FunctionArn,
              Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
              Filter: {
                Key: {
                  FilterRules: [
                    { Name: "prefix", Value: "in/" },
                    { Name: "suffix", Value: ".txt" },
                  ],
                },
              },
            },
          ],
        },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: "events", Key: "in/a b.txt", Body: "x" }));
    await s3.send(new PutObjectCommand({ Bucket: "events", Key: "out/b.txt", Body: "x" }));
    await s3.send(new PutObjectCommand({ Bucket: "events", Key: "in/c.bin", Body: "x" }));
    await s3.send(new DeleteObjectCommand({ Bucket: "events", Key: "in/a b.txt" }));
    let messages: string[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/onput", filterPattern: "EVENT" }));
      messages = (r.events ?? []).map((e) => e.message!.trim().replace(/^.*?EVENT/, "EVENT"));
      if (messages.length >= 2) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(messages.sort()).toEqual(["EVENT ObjectCreated:Put events in/a+b.txt", "EVENT ObjectRemoved:Delete events in/a+b.txt"]);
  }, 60_000);
});
