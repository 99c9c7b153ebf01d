import { Result as InvokeResult, type ResultInit as InvokeResultInit } from "@fabric-ts/invoke";
import type { Connection } from "./connection/connection.js";

export interface ResultInit extends InvokeResultInit {
  connection: Connection;
}

/** Invoke's Result plus the {@link Connection} the command ran on (Fabric's `fabric.Result`). */
export class Result extends InvokeResult {
  readonly connection: Connection;

  constructor(init: ResultInit) {
    const { connection, ...rest } = init;
    super(rest);
    this.connection = connection;
  }
}
