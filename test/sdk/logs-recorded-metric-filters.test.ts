/**
 * Metric filters answer as AWS was recorded answering (LocalStack's AWS-validated snapshots,
 * tests/aws/services/logs/test_logs_metric_filters.snapshot.json).
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeMetricFiltersCommand, PutMetricFilterCommand } from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { expectAwsError, useServer } from "../helpers.js";

const t = useServer({}, (cfg) => ({ logs: new CloudWatchLogsClient(cfg) }));

describe("metric filters (recorded)", () => {
  it("a metric namespace with ':' is accepted and found again (test_put_metric_filter_with_special_namespace)", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "rec-mf-ns" }));
    const namespace = "A.B-c_d/1#2:metricNamespace";
    await t.logs.send(
      new PutMetricFilterCommand({
        logGroupName: "rec-mf-ns",
        filterName: "special-ns",
        filterPattern: "filterPattern",
        metricTransformations: [{ metricNamespace: namespace, metricName: "metricName", metricValue: "1" }],
      }),
    );
    const { metricFilters } = await t.logs.send(new DescribeMetricFiltersCommand({ metricName: "metricName", metricNamespace: namespace }));
    expect(metricFilters?.map((f) => f.filterName)).toEqual(["special-ns"]);
    expect(metricFilters![0]!.metricTransformations![0]!.metricNamespace).toBe(namespace);
  });

  it("two metric transformations are refused, the list shown as Java objects (test_put_metric_filter_too_many_transformations)", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "rec-mf-many" }));
    await expectAwsError(
      t.logs.send(
        new PutMetricFilterCommand({
          logGroupName: "rec-mf-many",
          filterName: "valid-filter",
          filterPattern: "pattern",
          metricTransformations: [
            { metricNamespace: "namespace1", metricName: "metric1", metricValue: "1" },
            { metricNamespace: "namespace2", metricName: "metric2", metricValue: "1" },
          ],
        }),
      ),
      {
        name: "InvalidParameterException",
        status: 400,
        message:
          "1 validation error detected: Value '[MetricTransformation(metricName=metric1, metricNamespace=namespace1, metricValue=1, defaultValue=null, unit=null, dimensions=null), MetricTransformation(metricName=metric2, metricNamespace=namespace2, metricValue=1, defaultValue=null, unit=null, dimensions=null)]' at 'metricTransformations' failed to satisfy constraint: Member must have length less than or equal to 1",
      },
    );
  });

  it("a defaultValue shows as a Java double in that message", async () => {
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: "rec-mf-dv" }));
    const err = await expectAwsError(
      t.logs.send(
        new PutMetricFilterCommand({
          logGroupName: "rec-mf-dv",
          filterName: "f",
          filterPattern: "",
          metricTransformations: [
            { metricNamespace: "n", metricName: "a", metricValue: "1", defaultValue: 0 },
            { metricNamespace: "n", metricName: "b", metricValue: "1", unit: "Count" },
          ],
        }),
      ),
      { name: "InvalidParameterException", status: 400 },
    );
    expect(err.message).toContain(
      "'[MetricTransformation(metricName=a, metricNamespace=n, metricValue=1, defaultValue=0.0, unit=null, dimensions=null), MetricTransformation(metricName=b, metricNamespace=n, metricValue=1, defaultValue=null, unit=Count, dimensions=null)]'",
    );
  });
});
