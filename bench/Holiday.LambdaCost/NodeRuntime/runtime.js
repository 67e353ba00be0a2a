// A minimal Node.js runtime for the Lambda Runtime API, ours, for the Lambda cost benchmark: it loads the handler
// named by _HANDLER ("<file>.<export>", the file relative to LAMBDA_TASK_ROOT), then loops: GET the next event, call
// the handler with it and a context, POST its result as the response or the thrown error as an invocation error. An
// error while loading the handler goes to /runtime/init/error. Only what the benchmark needs: no streaming, no
// callback-style handlers, no X-Ray.
"use strict";

const http = require("node:http");
const path = require("node:path");

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(method, route, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body, "utf8");
    const req = http.request(
      {
        host,
        port,
        method,
        path: `/2018-06-01/runtime${route}`,
        agent,
        headers: payload ? { "content-type": "application/json", "content-length": payload.length } : {},
      },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

function errorJson(error) {
  return JSON.stringify({
    errorType: (error && error.name) || "Error",
    errorMessage: (error && error.message) || String(error),
    stackTrace: error && error.stack ? String(error.stack).split("\n") : [],
  });
}

function loadHandler() {
  const handler = process.env._HANDLER || "index.handler";
  const dot = handler.lastIndexOf(".");
  const file = path.resolve(process.env.LAMBDA_TASK_ROOT || process.cwd(), handler.slice(0, dot));
  const fn = require(file)[handler.slice(dot + 1)];
  if (typeof fn !== "function") {
    throw new Error(`${handler}: ${file} exports no function '${handler.slice(dot + 1)}'`);
  }
  return fn;
}

function context(headers) {
  const deadline = Number(headers["lambda-runtime-deadline-ms"]);
  return {
    awsRequestId: headers["lambda-runtime-aws-request-id"],
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
}

async function main() {
  let handler;
  try {
    handler = loadHandler();
  } catch (error) {
    await request("POST", "/init/error", errorJson(error));
    process.exit(1);
  }

  for (;;) {
    const next = await request("GET", "/invocation/next");
    const requestId = next.headers["lambda-runtime-aws-request-id"];
    try {
      const result = await handler(JSON.parse(next.body), context(next.headers));
      await request("POST", `/invocation/${requestId}/response`, JSON.stringify(result === undefined ? null : result));
    } catch (error) {
      await request("POST", `/invocation/${requestId}/error`, errorJson(error));
    }
  }
}

main().catch((error) => {
  console.error("runtime loop failed:", error);
  process.exit(1);
});
