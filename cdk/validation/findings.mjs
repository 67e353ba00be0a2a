// The one finding shape every validator prints, and the one way each of them runs: template paths in, a JSON array of
// findings on stdout, exit 0. Anything unexpected (an unreadable template, a tool that crashed, output that could not
// be understood) goes to stderr with exit code 2, so that a failure can never look like "no findings".
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** `RestateStack` for `.../RestateStack.template.json`: the stack name, as CDK names the file. */
export function stackName(file) {
    const name = basename(file);
    if (!name.endsWith('.template.json')) {
        throw new Error(`${file} is not named <StackName>.template.json`);
    }
    return name.slice(0, -'.template.json'.length);
}

/** The parsed template, or an error naming the file. */
export function readTemplate(file) {
    let text;
    try {
        text = readFileSync(file, 'utf8');
    } catch (error) {
        throw new Error(`cannot read template ${file}: ${error.message}`);
    }
    try {
        const template = JSON.parse(text);
        if (template === null || typeof template !== 'object' || Array.isArray(template)) {
            throw new Error('not a JSON object');
        }
        return template;
    } catch (error) {
        throw new Error(`template ${file} is not valid JSON: ${error.message}`);
    }
}

/**
 * One finding. `file` is the path the validator was given, so that a caller that validated several apps at once can
 * tell which one a finding belongs to; `template` is the stack name.
 */
export function finding(validator, rule, file, resource, message) {
    return {
        validator,
        rule,
        template: stackName(file),
        resource,
        message: oneLine(message),
        file,
    };
}

export function oneLine(text) {
    return String(text).replace(/\s+/g, ' ').trim();
}

/**
 * Runs `validate(files)` over the command line's template paths and prints its findings. At least one path is
 * required; every path must name a readable template.
 */
export async function main(validate) {
    try {
        const files = [...new Set(process.argv.slice(2))];
        if (files.length === 0) {
            throw new Error('usage: node <validator>.mjs <StackName>.template.json...');
        }
        for (const file of files) {
            stackName(file);
            readTemplate(file);
        }
        const findings = await validate(files);
        process.stdout.write(`${JSON.stringify(findings, null, 1)}\n`);
        process.exitCode = 0;
    } catch (error) {
        process.stderr.write(`validator failed: ${error?.stack ?? error}\n`);
        process.exitCode = 2;
    }
}
