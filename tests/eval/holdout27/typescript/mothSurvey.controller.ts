// moth-survey/atlas.controller.ts
// County moth recording scheme: dashboard numbers and the printable distribution atlas.

import { Controller, Get, Post, Query, UseGuards, BadRequestException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RecorderGuard } from '../auth/recorder.guard';
import { AtlasPdf } from './atlas-pdf';
import { renderDistributionMap, GridPoint } from './distribution-map';

interface SpeciesRow {
  speciesId: number;
  commonName: string;
  latinName: string;
}

@Controller('moths')
@UseGuards(RecorderGuard)
export class MothAtlasController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Numbers shown at the top of the recorders' dashboard. */
  @Get('summary')
  async summary(@Query('year') year?: string) {
    const y = Number(year ?? new Date().getFullYear());
    if (!Number.isInteger(y)) throw new BadRequestException('year must be a number');

    const topSpecies = await this.dataSource.query(
      `SELECT s.common_name, COUNT(*) AS records, SUM(r.abundance) AS individuals,
              COUNT(DISTINCT r.grid_ref_10km) AS squares, COUNT(DISTINCT r.trap_id) AS traps,
              MIN(r.trap_night) AS first_seen, MAX(r.trap_night) AS last_seen
         FROM moth_records r
         JOIN moth_species s ON s.id = r.species_id
        WHERE extract(year FROM r.trap_night) = $1
        GROUP BY s.common_name
        ORDER BY records DESC
        LIMIT 25`,
      [y],
    );
    return { year: y, topSpecies };
  }

  /**
   * Rebuilds the county atlas PDF (one page per species with a dot map)
   * and uploads it for the "Download atlas" link.
   */
  @Post('atlas/rebuild')
  async rebuildAtlas(@Query('from') from = '2000-01-01') {
    const species: SpeciesRow[] = await this.dataSource.query(
      `SELECT id AS "speciesId", common_name AS "commonName", latin_name AS "latinName"
         FROM moth_species WHERE is_macro = true ORDER BY bradley_number`,
    );
    const points: Array<GridPoint & { speciesId: number }> = await this.dataSource.query(
      `SELECT species_id AS "speciesId", grid_ref_2km AS "gridRef", max(trap_night) AS "latest"
         FROM moth_records WHERE trap_night >= $1
        GROUP BY species_id, grid_ref_2km`,
      [from],
    );

    const bySpecies = new Map<number, GridPoint[]>();
    for (const p of points) {
      const list = bySpecies.get(p.speciesId) ?? [];
      list.push(p);
      bySpecies.set(p.speciesId, list);
    }

    const pdf = new AtlasPdf({ title: 'Moths of the County', since: from });
    for (const sp of species) {
      const svg = renderDistributionMap(bySpecies.get(sp.speciesId) ?? [], { dotSizeMm: 1.2, showCoast: true });
      pdf.addSpeciesPage({ heading: `${sp.commonName} (${sp.latinName})`, svg });
    }
    const body = await pdf.toBuffer();

    const res = await fetch(`${process.env.ATLAS_BUCKET_URL}/atlas/moths-of-the-county.pdf`, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', authorization: `Bearer ${process.env.ATLAS_UPLOAD_TOKEN}` },
      body,
    });
    if (!res.ok) throw new Error(`atlas upload failed: ${res.status}`);

    return { pages: species.length, bytes: body.length };
  }
}
