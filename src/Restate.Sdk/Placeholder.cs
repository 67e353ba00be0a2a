namespace Restate.Sdk;
