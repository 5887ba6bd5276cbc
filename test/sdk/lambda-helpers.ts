/** Helpers for the Lambda test files: a zip writer for deployment packages and layers, a function creator. */
import { deflateRawSync } from "node:zlib";
import { CreateFunctionCommand, type CreateFunctionCommandInput, type LambdaClient } from "@aws-sdk/client-lambda";

/** A minimal zip writer (deflated entries) for test deployment packages. */
export function zip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const comp = deflateRawSync(data);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, comp);
    centrals.push(central, n);
    offset += 30 + n.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const ROLE = "arn:aws:iam::123456789012:role/test-role";

/** CreateFunction of a nodejs22.x function whose index.js is `code` (handler index.handler, ROLE); `extra` adds or overrides members. */
export function createNodeFunction(lambda: LambdaClient, FunctionName: string, code: string, extra: Partial<CreateFunctionCommandInput> = {}) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName,
      Runtime: "nodejs22.x",
      Role: ROLE,
      Handler: "index.handler",
      Code: { ZipFile: zip({ "index.js": code }) },
      ...extra,
    }),
  );
}

/** CreateFunction of a python3.12 function whose handler.py is `code` (handler handler.handler, ROLE); `extra` adds or overrides members. */
export function createPythonFunction(lambda: LambdaClient, FunctionName: string, code: string, extra: Partial<CreateFunctionCommandInput> = {}) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName,
      Runtime: "python3.12",
      Role: ROLE,
      Handler: "handler.handler",
      Code: { ZipFile: zip({ "handler.py": code }) },
      ...extra,
    }),
  );
}
