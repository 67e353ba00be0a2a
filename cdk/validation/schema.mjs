// Checks every resource of synthesized templates against the CloudFormation resource specification that npm
// @aws-cdk/aws-service-spec ships (db.json.gz): the type exists, every property exists and required ones are present,
// literal values have the declared type, and every Fn::GetAtt names an attribute of its resource's type.
// Usage: node cdk/validation/schema.mjs <StackName>.template.json...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { finding, main, readTemplate } from './findings.mjs';

const require = createRequire(import.meta.url);

/**
 * The database is `{ schema: { <entity kind>: { entities: [...] }, <relation>: {...} } }`. Two kinds matter here:
 * `resource` entities (`cloudFormationType`, `properties`, `attributes`) and `typeDefinition` entities (`$id`,
 * `properties`), the shapes of nested property values. A property is `{ type, required?, previousTypes? }`; a type is
 * `{ type: 'string' | 'integer' | 'number' | 'boolean' | 'date-time' | 'json' | 'tag' }`,
 * `{ type: 'array' | 'map', element: <type> }`, `{ type: 'ref', reference: { $ref: <typeDefinition $id> } }` or
 * `{ type: 'union', types: [<type>...] }`.
 * `previousTypes` are older declared types of the same property, which CloudFormation still accepts.
 */
export function loadSpec() {
    const db = JSON.parse(gunzipSync(readFileSync(require.resolve('@aws-cdk/aws-service-spec/db.json.gz'))));
    const entities = (kind) => {
        const list = db?.schema?.[kind]?.entities;
        if (!Array.isArray(list) || list.length === 0) {
            throw new Error(`the service spec database has no ${kind} entities`);
        }
        return list;
    };
    return {
        resources: new Map(entities('resource').map((r) => [r.cloudFormationType, r])),
        types: new Map(entities('typeDefinition').map((t) => [t.$id, t])),
    };
}

/** Tags are `{ Key, Value }`; the spec names the type without spelling it out. */
const TagProperties = {
    Key: { type: { type: 'string' }, required: true },
    Value: { type: { type: 'string' }, required: true },
};

/** `{ Ref: ... }` or `{ Fn::...: ... }`: its value is only known at deploy time, so it fits any declared type. */
function isIntrinsic(value) {
    if (!isObject(value)) {
        return false;
    }
    const keys = Object.keys(value);
    return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value) {
    if (Array.isArray(value)) {
        return 'list';
    }
    return value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value;
}

function typeName(type) {
    switch (type.type) {
        case 'array':
            return `list of ${typeName(type.element)}`;
        case 'map':
            return `map of ${typeName(type.element)}`;
        case 'union':
            return type.types.map(typeName).join(' or ');
        case 'ref':
            return 'object';
        default:
            return type.type;
    }
}

/** One template's problems, as `{ rule, resource, message }`. */
export function checkTemplate(template, spec) {
    const problems = [];
    const resources = isObject(template.Resources) ? template.Resources : {};
    for (const [logicalId, resource] of Object.entries(resources)) {
        const report = (rule, message) => problems.push({ rule, resource: logicalId, message });
        const type = resource?.Type;
        const properties = resource?.Properties ?? {};
        if (type === 'AWS::CDK::Metadata') {
            continue;
        }
        if (typeof type === 'string' && type.startsWith('Custom::')) {
            // A custom resource's properties are its provider's business; CloudFormation only needs the ServiceToken.
            if (!isObject(properties) || !Object.hasOwn(properties, 'ServiceToken')) {
                report('missing-required-property', `${type}: Properties.ServiceToken is required`);
            }
            continue;
        }
        const resourceSpec = spec.resources.get(type);
        if (resourceSpec === undefined) {
            report('unknown-resource-type', `${type} is not a CloudFormation resource type`);
            continue;
        }
        const declared = { type: 'object', properties: resourceSpec.properties };
        for (const problem of checkValue(properties, [declared], 'Properties', spec)) {
            report(problem.rule, `${type}: ${problem.message}`);
        }
    }
    const outputs = isObject(template.Outputs) ? template.Outputs : {};
    for (const [id, node] of [...Object.entries(resources), ...Object.entries(outputs)]) {
        for (const problem of checkGetAtts(node, resources, spec)) {
            problems.push({ ...problem, resource: id });
        }
    }
    return problems;
}

/** The problems of `value` against the first of `types` it fits; if it fits none, those of the first (current) type. */
function checkValue(value, types, path, spec) {
    if (isIntrinsic(value)) {
        return [];
    }
    let first;
    for (const type of types) {
        const problems = checkType(value, type, path, spec);
        if (problems.length === 0) {
            return [];
        }
        first ??= problems;
    }
    return first;
}

function checkType(value, type, path, spec) {
    const wrong = () => [{
        rule: 'wrong-type',
        message: `${path}: expected ${typeName(type)}, found ${describe(value)} ${JSON.stringify(value).slice(0, 80)}`,
    }];
    switch (type.type) {
        case 'string':
        case 'date-time':
            return typeof value === 'string' ? [] : wrong();
        case 'integer':
            return Number.isInteger(value) ? [] : wrong();
        case 'number':
            return typeof value === 'number' ? [] : wrong();
        case 'boolean':
            return typeof value === 'boolean' ? [] : wrong();
        case 'json':
            return [];
        case 'array':
            return Array.isArray(value)
                ? value.flatMap((item, i) => checkValue(item, [type.element], `${path}[${i}]`, spec))
                : wrong();
        case 'map':
            return isObject(value)
                ? Object.entries(value).flatMap(([key, item]) =>
                    checkValue(item, [type.element], `${path}.${key}`, spec))
                : wrong();
        case 'union':
            return checkValue(value, type.types, path, spec);
        case 'tag':
            return checkType(value, { type: 'object', properties: TagProperties }, path, spec);
        case 'ref': {
            const definition = spec.types.get(type.reference.$ref);
            if (definition === undefined) {
                throw new Error(`the service spec database has no type definition ${type.reference.$ref}`);
            }
            return checkType(value, { type: 'object', properties: definition.properties }, path, spec);
        }
        case 'object':
            return isObject(value) ? checkProperties(value, type.properties, path, spec) : wrong();
        default:
            throw new Error(`the service spec database has a type this checker does not know: ${JSON.stringify(type)}`);
    }
}

function checkProperties(value, properties, path, spec) {
    const problems = [];
    for (const [name, item] of Object.entries(value)) {
        const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
        if (property === undefined) {
            problems.push({ rule: 'unknown-property', message: `${path}.${name} is not a property of this type` });
        } else {
            const accepted = [property.type, ...(property.previousTypes ?? [])];
            problems.push(...checkValue(item, accepted, `${path}.${name}`, spec));
        }
    }
    for (const [name, property] of Object.entries(properties)) {
        if (property.required && !Object.hasOwn(value, name)) {
            problems.push({ rule: 'missing-required-property', message: `${path}.${name} is required` });
        }
    }
    return problems;
}

/** Every `Fn::GetAtt` under `node` must name a resource of the template and an attribute its type has. */
function checkGetAtts(node, resources, spec) {
    if (Array.isArray(node)) {
        return node.flatMap((item) => checkGetAtts(item, resources, spec));
    }
    if (!isObject(node)) {
        return [];
    }
    if (Object.keys(node).length === 1 && 'Fn::GetAtt' in node) {
        return checkGetAtt(node['Fn::GetAtt'], resources, spec);
    }
    return Object.values(node).flatMap((item) => checkGetAtts(item, resources, spec));
}

function checkGetAtt(argument, resources, spec) {
    let [target, attribute] = Array.isArray(argument) ? argument : [];
    if (typeof argument === 'string') {
        const dot = argument.indexOf('.');
        [target, attribute] = dot < 0 ? [argument, undefined] : [argument.slice(0, dot), argument.slice(dot + 1)];
    }
    const text = JSON.stringify({ 'Fn::GetAtt': argument });
    if (typeof target !== 'string' || attribute === undefined) {
        return [{ rule: 'unknown-getatt-attribute', message: `${text} names no resource and attribute` }];
    }
    if (typeof attribute !== 'string') {
        return []; // An attribute chosen by an intrinsic is only known at deploy time.
    }
    const type = resources[target]?.Type;
    if (type === undefined) {
        return [{ rule: 'unknown-getatt-resource', message: `${text}: the template has no resource ${target}` }];
    }
    const free = type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource'
        || (type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.'));
    const resourceSpec = spec.resources.get(type);
    if (free || resourceSpec === undefined || Object.hasOwn(resourceSpec.attributes, attribute)) {
        return [];
    }
    return [{ rule: 'unknown-getatt-attribute', message: `${text}: ${type} has no attribute ${attribute}` }];
}

export function validate(files) {
    const spec = loadSpec();
    return files.flatMap((file) =>
        checkTemplate(readTemplate(file), spec).map((p) => finding('schema', p.rule, file, p.resource, p.message)));
}

await main(validate);
