import {
  describeSObjects,
  describeTabs as renderTabs,
  serverTimestamp,
} from './describe-operations.ts';
import { query, queryAll, queryMore } from './query-operations.ts';
import { retrieveRecords } from './retrieve.ts';
import { deleteRecords, saveRecords, upsertRecords } from './save-operations.ts';
import { getUserInfo, login, logout } from './session-operations.ts';
import { type SoapOperation, authenticate } from './soap-context.ts';

const create: SoapOperation = (context, { dialect, request }) => {
  const session = authenticate(context, request);
  return saveRecords('create', request.operation, dialect, context.store, session.userId);
};

const update: SoapOperation = (context, { dialect, request }) => {
  const session = authenticate(context, request);
  return saveRecords('update', request.operation, dialect, context.store, session.userId);
};

const upsert: SoapOperation = (context, { dialect, request }) => {
  const session = authenticate(context, request);
  return upsertRecords(request.operation, dialect, context.store, session.userId);
};

const deleteOperation: SoapOperation = (context, { request }) => {
  const session = authenticate(context, request);
  return deleteRecords('delete', request.operation, context.store, session.userId);
};

const undelete: SoapOperation = (context, { request }) => {
  const session = authenticate(context, request);
  return deleteRecords('undelete', request.operation, context.store, session.userId);
};

const describe: SoapOperation = (context, { request }) => {
  authenticate(context, request);
  return describeSObjects(request.operation, context.store.schema);
};

const describeTabs: SoapOperation = (context, { request }) => {
  authenticate(context, request);
  return renderTabs(context.store.schema, context.instanceUrl());
};

const getServerTimestamp: SoapOperation = (context, { request }) => {
  authenticate(context, request);
  return serverTimestamp(context.clock.now());
};

const retrieve: SoapOperation = (context, { request, renderer }) => {
  authenticate(context, request);
  return retrieveRecords(request.operation, context.store, renderer);
};

/** The operations the emulator serves, by the local name of the body's element. */
const OPERATIONS: Readonly<Record<string, SoapOperation>> = {
  login,
  logout,
  getUserInfo,
  create,
  update,
  upsert,
  delete: deleteOperation,
  undelete,
  describeSObject: describe,
  describeSObjects: describe,
  describeTabs,
  getServerTimestamp,
  retrieve,
  query,
  queryAll,
  queryMore,
};

export function operationOf(name: string): SoapOperation | undefined {
  return Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
}
