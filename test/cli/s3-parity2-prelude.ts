/** The boto3 prelude the s3-parity2 scripts share: clients for the default and the --strict server, and call(), which returns a response or AWS's error as boto3 parsed it. */
export const PRELUDE = `
import boto3, datetime, json, sys
from botocore.config import Config
from botocore.exceptions import ClientError
def client(url, region="us-east-1", **c):
    return boto3.client("s3", endpoint_url=url, region_name=region, aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, **c))
s3 = client(sys.argv[1])
strict = client(sys.argv[2]) if len(sys.argv) > 2 else s3
out = {}
def clean(r):
    r = dict(r)
    md = r.pop("ResponseMetadata", {})
    r.pop("Body", None)
    r["Status"] = md.get("HTTPStatusCode")
    return r
def call(fn, **a):
    try:
        return clean(fn(**a))
    except ClientError as e:
        return clean(e.response)
def headers(fn, **a):
    try:
        return fn(**a)["ResponseMetadata"]["HTTPHeaders"]
    except ClientError as e:
        return e.response["ResponseMetadata"]["HTTPHeaders"]
`;

/** What call() gives for an error: boto3's Error dict and the HTTP status. */
export const awsErr = (code: string, message: string, status: number, extra: Record<string, unknown> = {}) => ({
  Error: { Code: code, Message: message, ...extra },
  Status: status,
});
