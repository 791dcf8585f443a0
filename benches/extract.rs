//! Extraction throughput: megabytes of report text read per second, on one core.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use zonescope::dataset::Dataset;
use zonescope::extract::rules::{Gazetteer, extract};
use zonescope::model::Date;

/// Constructed input (invented figures, like the corpus's dev texts): a paragraph of the shapes
/// reports take, repeated to about one megabyte.
const PARAGRAPH: &str = "今年1至8月，武汉经开区规模以上工业总产值达2,486.3亿元，同比增长4.7%；实现外贸进出口总额312.5亿元，\
同比下降3.2%，占全市的比重为8.1%。重庆经开区、万州经开区、长寿经开区共计实现外贸进出口242.3亿元，分别占所在行政区的96%、96%、99.5%。\
截至6月底，全区经营主体超2.3万户，高新技术企业达到218家。全市地区生产总值同比增长6.1%，咨询电话023-12345678。\n";

fn throughput(c: &mut Criterion) {
    let gazetteer = Gazetteer::from_dataset(&Dataset::bundled().expect("bundled data"));
    let text = PARAGRAPH.repeat(1_000_000 / PARAGRAPH.len() + 1);
    let published = Date::new(2024, 9, 25);
    let found = extract(&text, published, &gazetteer).len();
    assert!(found > 1000, "the text gives figures ({found})");
    let mut group = c.benchmark_group("extraction");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("report text, about 1 MB", |b| b.iter(|| extract(&text, published, &gazetteer)));
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
